// Wrapper module that builds the Pulumi CLI and the Node.js language host from the Go module proxy.
// Upstream's own go.mod files carry replace directives, so `go install pkg@version` is refused;
// as the main module here, their replaces are ignored and these pins decide.
module sspr-as-code/engine

go 1.24.1

require (
	github.com/pulumi/pulumi/pkg/v3 v3.188.0
	github.com/pulumi/pulumi/sdk/v3 v3.188.0
	github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 v3.0.0-20250806165243-bee5e4fa4815
)

// Same Windows-only fork upstream uses; no effect on Linux, keeps the build closest to upstream.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
