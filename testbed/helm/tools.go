//go:build tools

// Package tools names the command bin/helm-tool builds, so that go mod tidy keeps its module.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
