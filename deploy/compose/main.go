// Command compose-config loads a Compose file the way `docker compose config` does, with
// compose-go, the library Docker Compose is built on: schema validation, interpolation,
// consistency checks (every network, volume and dependency named exists), normalisation.
// It prints the resulting model and needs no Docker engine, so CI can check the file here.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	format := flag.String("format", "yaml", "yaml or json")
	flag.Parse()
	if flag.NArg() != 1 || (*format != "yaml" && *format != "json") {
		fmt.Fprintln(os.Stderr, "usage: compose-config [-format yaml|json] <compose file>")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions(
		[]string{flag.Arg(0)}, cli.WithOsEnv, cli.WithDotEnv, cli.WithName("andina"),
	)
	if err != nil {
		fail(err)
	}
	project, err := cli.ProjectFromOptions(context.Background(), options)
	if err != nil {
		fail(err)
	}
	var out []byte
	if *format == "json" {
		out, err = project.MarshalJSON()
	} else {
		out, err = project.MarshalYAML()
	}
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
