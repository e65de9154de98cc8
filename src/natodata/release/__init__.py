"""Releases: versions and bump rules, package diffs and publishing."""
