//go:build tools

// Package tools names the command bin/promtool-tool builds, so that go mod tidy keeps its module.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
