"""The checks: descriptor, constraints, domain rules, keys, provenance and published files,
run together by :func:`natodata.checks.validate.validate`."""
