"""docs/integrating.md's test vector is what the network really signs and verifies.

Integrators in other languages check their canonical form, key id and signature against it.
"""

import base64
import hashlib
import json
import re
from pathlib import Path

import nacl.signing
import orjson
from aiokafka.partitioner import murmur2

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import canonical_bytes
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import TopicRegistry

GUIDE_DIR = Path(__file__).resolve().parents[3] / "docs"
GUIDE = (GUIDE_DIR / "integrating.md").read_text()
VECTOR = GUIDE.split("### Test vector", 1)[1]


def _quoted_after(label: str) -> str:
    found = re.search(rf"{label}\s+`([^`]+)`", VECTOR)
    assert found, f"no {label} in the guide's test vector"
    return found.group(1)


def _event() -> dict[str, object]:
    block = re.search(r"```json\n(.*?)\n```", VECTOR, re.DOTALL)
    assert block
    event: dict[str, object] = json.loads(block.group(1))
    return event


def test_the_vector_is_what_the_signer_produces() -> None:
    event = _event()
    seed = base64.b64decode(_quoted_after(r"Private key seed \(base64\)"))
    key = SignerKey("PE", nacl.signing.SigningKey(seed))

    signed = orjson.loads(key.sign({k: v for k, v in event.items() if k not in ("signer", "keyid", "signature")}))

    assert signed == event
    assert hashlib.sha256(canonical_bytes(event)).hexdigest() == _quoted_after("has SHA-256")


def test_the_vector_verifies_against_a_published_directory(tmp_path: Path) -> None:
    event = _event()
    seed = base64.b64decode(_quoted_after(r"Private key seed \(base64\)"))
    directory = tmp_path / "directory.json"
    KeyDirectory.publish(directory, SignerKey("PE", nacl.signing.SigningKey(seed)), SignerKind.COUNTRY)

    KeyDirectory.load(directory).verify(event)  # raises Rejected otherwise
    assert json.loads(directory.read_text())["signers"]["PE"]["public_key"] in GUIDE


def test_the_key_schemas_describe_what_a_rotation_writes(tmp_path: Path) -> None:
    schemas = GUIDE_DIR / "schemas"
    directory_schema = json.loads((schemas / "key-directory.schema.json").read_text())
    key_file_schema = json.loads((schemas / "key-file.schema.json").read_text())
    signer_schema, key_pattern = directory_schema["$defs"]["signer"], directory_schema["$defs"]["publicKey"]["pattern"]
    path = tmp_path / "directory.json"
    old, new = SignerKey.generate("PE"), SignerKey.generate("PE")
    KeyDirectory.publish(path, old, SignerKind.COUNTRY)
    KeyDirectory.publish(path, new, SignerKind.COUNTRY, keep_previous=True)
    KeyDirectory.publish(path, SignerKey.generate("alerts"), SignerKind.SERVICE)

    written = json.loads(path.read_text())

    assert set(written) == set(directory_schema["required"])
    for entry in written["signers"].values():
        assert set(signer_schema["required"]) <= set(entry) <= set(signer_schema["properties"])
        assert entry["kind"] in signer_schema["properties"]["kind"]["enum"]
        assert all(re.fullmatch(key_pattern, k) for k in [entry["public_key"], *entry.get("previous_keys", [])])
    assert written["signers"]["PE"]["previous_keys"] == [old.public_key_b64]
    assert re.fullmatch(key_file_schema["pattern"], new.save(tmp_path).read_text())


def test_the_partition_table_is_the_registry_and_a_default_partitioner_would_misplace_records() -> None:
    countries, topics = CountryRegistry.load(), TopicRegistry.load()
    table = dict(re.findall(r"^\| ([A-Z]{2}) [A-Za-z ]+ \| (\d+) \|$", GUIDE, re.MULTILINE))

    def default_partition(code: str) -> int:  # Kafka's default for a keyed record, murmur2 as the Java client
        return int(murmur2(code.encode()) & 0x7FFFFFFF) % topics.partitions

    assert {code: int(p) for code, p in table.items()} == {c: countries.partition_of(c) for c in countries.codes}
    assert f"{topics.partitions} partitions" in GUIDE
    assert [default_partition(c) for c in ("PE", "BO", "CO", "EC")] == [11, 11, 11, 1]
