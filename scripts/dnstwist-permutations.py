#!/usr/bin/env python3
"""Prints dnstwist's permutations of each domain given, offline: `protected<TAB>fuzzer<TAB>domain`.

Uses dnstwist's own Fuzzer with its default fuzzers (no DNS lookups). Install: pip install dnstwist.
"""
import sys

import dnstwist

for protected in sys.argv[1:]:
    fuzzer = dnstwist.Fuzzer(protected)
    fuzzer.generate()
    for permutation in fuzzer.permutations():
        if permutation["fuzzer"] != "*original":
            print(f"{protected}\t{permutation['fuzzer']}\t{permutation['domain']}")
