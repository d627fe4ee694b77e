"""The local stack launcher and the `andina` command (stack, topics, keys, demo)."""
