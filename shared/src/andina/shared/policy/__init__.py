"""Each member's law as enforced policy: Cedar policies over the network's baseline (docs/policies.md)."""
