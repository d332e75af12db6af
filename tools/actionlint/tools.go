//go:build tools

// Keeps actionlint's main package in go.mod/go.sum for `go mod tidy`.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
