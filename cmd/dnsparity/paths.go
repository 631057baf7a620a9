package main

import "github.com/dnsparity/dnsparity/internal/report"

// Paths in reports are relative to the repository root.

func repoRoot(cfgPath, file string) string { return report.RepoRoot(cfgPath, file) }

func relPath(root, path string) string { return report.RelPath(root, path) }
