package sqlite

import "flag"

// -update rewrites testdata/golden (native only) and, with modernc,
// regenerates testdata/synthetic.
var update = flag.Bool("update", false, "rewrite golden files and synthetic test databases")
