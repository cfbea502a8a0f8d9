"""Reads forewarn's exports with the reference tools: the STIX bundle must pass
stix2-validator and load with stix2, the MISP event must load with pymisp.

Usage: check_exports.py BUNDLE.json EVENT.json; prints one JSON line of what was read."""

import json
import sys

import stix2
import stix2validator
from pymisp import MISPEvent

bundle_path, event_path = sys.argv[1], sys.argv[2]
with open(bundle_path, encoding="utf-8") as f:
    text = f.read()

results = stix2validator.validate_string(text, stix2validator.ValidationOptions(version="2.1", strict=False))
if not results.is_valid:
    stix2validator.print_results(results)
    sys.exit("the bundle does not pass stix2-validator")

# The TLP 2.0 marking definitions carry a property extension that stix2 may not know yet: it
# is registered here, so the markings are parsed and kept, never dropped.
said = []
try:
    bundle = stix2.parse(text)
except Exception as error:  # stix2 refuses an extension it does not know
    said.append(f"stix2 does not know the TLP 2.0 extension ({type(error).__name__}); registered here")

    @stix2.v21.CustomExtension(
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d",
        [("extension_type", stix2.properties.StringProperty(required=True)),
         ("tlp_2_0", stix2.properties.StringProperty(required=True))],
    )
    class Tlp2:
        pass

    bundle = stix2.parse(text)

kinds = sorted({o.type for o in bundle.objects})
markings = [o for o in bundle.objects if o.type == "marking-definition"]
kept = [m.extensions["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]["tlp_2_0"] for m in markings]

with open(event_path, encoding="utf-8") as f:
    event = MISPEvent()
    event.load(json.load(f))

print(json.dumps({
    "stix_types": kinds,
    "tlp": kept,
    "said": said,
    "misp_attributes": [(a.type, a.value, a.to_ids) for a in event.attributes],
    "misp_tags": [t.name for t in event.tags],
    "misp_info": event.info,
}))
