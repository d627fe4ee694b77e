// Command andina-ferretdb serves the MongoDB wire protocol on loopback, backed by
// SQLite files or a PostgreSQL server, by embedding FerretDB v1. It lets the local stack
// run without Docker or a MongoDB package: `go build -o ../../.stack/bin/andina-ferretdb .`
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to serve the MongoDB wire protocol on")
	backend := flag.String("backend", "sqlite", "where documents are kept: sqlite or postgresql")
	dataDir := flag.String("data", "data", "directory that holds one SQLite file per database (sqlite)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL connection URL (postgresql)")
	debug := flag.Bool("debug", false, "log every request")
	// WAL with synchronous=NORMAL survives any crash of this process (what the fault tests
	// inject) and skips an fsync per commit; FULL also survives a crash of the machine.
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous mode: normal or full")
	flag.Parse()

	absData, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatal(err)
	}
	if *synchronous != "normal" && *synchronous != "full" {
		log.Fatalf("-synchronous must be normal or full, not %q", *synchronous)
	}
	if *backend != "sqlite" && *backend != "postgresql" {
		log.Fatalf("-backend must be sqlite or postgresql, not %q", *backend)
	}
	if *backend == "postgresql" && *postgresURL == "" {
		log.Fatal("-backend postgresql needs -postgresql-url")
	}
	if err := os.MkdirAll(absData, 0o755); err != nil {
		log.Fatal(err)
	}

	level := slog.LevelWarn
	if *debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *backend,
		SQLiteURL:     "file:" + absData + "/?_pragma=synchronous(" + *synchronous + ")",
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Warn("andina-ferretdb listening", "addr", *listen, "backend", *backend, "data", absData)
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
