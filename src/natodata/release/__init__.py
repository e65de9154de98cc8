"""Releases: versions and bump rules, package diffs, checksums and publishing."""
