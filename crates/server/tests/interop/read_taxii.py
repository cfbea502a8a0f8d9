"""Reads forewarn's TAXII 2.1 server with the reference client, taxii2-client: discovery, the
API root, every collection page by page, the manifest, one object's versions; then checks
every object read with stix2-validator and loads it with stix2.

Also reads what DIR holds: the MISP sightings (sightings.json) and the MISP feed's events
(events/*.json) loaded with pymisp, the indicators bundle (bundle.json) checked with
stix2-validator.

Usage: read_taxii.py DISCOVERY_URL TOKEN PAGE_SIZE DIR; prints one JSON line of what was
read."""

import json
import os
import sys

import requests
import stix2
import stix2validator
from pymisp import MISPEvent, MISPSighting
from taxii2client.v21 import Server, as_pages

TLP2 = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"


class Bearer(requests.auth.AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


url, token, per_page = sys.argv[1], sys.argv[2], int(sys.argv[3])
server = Server(url, auth=Bearer(token))
root = server.default
read = {"title": server.title, "api_roots": len(server.api_roots), "versions": root.versions, "collections": {}}
every = []
for collection in root.collections:
    objects, pages = [], 0
    for envelope in as_pages(collection.get_objects, per_request=per_page):
        pages += 1
        objects.extend(envelope.get("objects", []))
    manifest = []
    for envelope in as_pages(collection.get_manifest, per_request=per_page):
        manifest.extend(envelope.get("objects", []))
    versions = {}
    revoked = [o["id"] for o in objects if o.get("revoked")]
    for object_id in revoked[:3]:
        versions[object_id] = collection.object_versions(object_id).get("versions", [])
        one = collection.get_object(object_id)["objects"]
        assert one and one[0]["revoked"] is True, one
    every.extend(objects)
    read["collections"][collection.title] = {
        "id": collection.id,
        "can_write": collection.can_write,
        "pages": pages,
        "objects": [o["id"] for o in objects],
        "types": sorted({o["type"] for o in objects}),
        "manifest": len(manifest),
        "revoked_versions": versions,
        "sightings": [
            {k: o.get(k) for k in ("sighting_of_ref", "count", "where_sighted_refs", "created_by_ref")}
            for o in objects if o["type"] == "sighting"
        ],
        "tlps": sorted({m for o in objects for m in o.get("object_marking_refs", [])}),
    }

bundle = json.dumps({"type": "bundle", "id": "bundle--6f1d2c0e-3b1a-4f6e-9d3c-1b2a3c4d5e6f", "objects": every})
results = stix2validator.validate_string(bundle, stix2validator.ValidationOptions(version="2.1", strict=False))
if not results.is_valid:
    stix2validator.print_results(results)
    sys.exit("what the TAXII server serves does not pass stix2-validator")

said = []
try:
    stix2.parse(bundle, allow_custom=False)
except Exception as error:  # stix2 refuses an extension it does not know
    said.append(f"stix2 does not know the TLP 2.0 extension ({type(error).__name__}); registered here")

    @stix2.v21.CustomExtension(
        TLP2,
        [("extension_type", stix2.properties.StringProperty(required=True)),
         ("tlp_2_0", stix2.properties.StringProperty(required=True))],
    )
    class Tlp2:
        pass

    stix2.parse(bundle)
read["said"] = said

folder = sys.argv[4]
with open(os.path.join(folder, "bundle.json"), encoding="utf-8") as f:
    results = stix2validator.validate_string(f.read(), stix2validator.ValidationOptions(version="2.1", strict=False))
    if not results.is_valid:
        stix2validator.print_results(results)
        sys.exit("the indicators bundle does not pass stix2-validator")

events = []
for name in sorted(os.listdir(os.path.join(folder, "events"))):
    with open(os.path.join(folder, "events", name), encoding="utf-8") as f:
        event = MISPEvent()
        event.load(json.load(f))
        events.append({"info": event.info, "attributes": len(event.attributes),
                       "tags": [t.name for t in event.tags]})
read["misp_events"] = events

with open(os.path.join(folder, "sightings.json"), encoding="utf-8") as f:
    misp = []
    for entry in json.load(f):
        sighting = MISPSighting()
        sighting.from_dict(**entry)
        misp.append({"value": sighting.value, "type": sighting.type, "fields": sorted(sighting.to_dict())})
read["misp_sightings"] = misp
print(json.dumps(read))
