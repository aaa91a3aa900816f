//go:build !js

package samples

import (
	"os"
	"path/filepath"
)

// SmallSeed is the seed of every committed small sample.
const SmallSeed = 1

// SmallSet lists the committed small samples (file name → options).
// Regenerate with: go run ./samples/cmd/gen -kind small -out samples/small
var SmallSet = []Options{
	{Kind: "mmssms", Out: "mmssms.db"},
	{Kind: "mmssms", Out: "mmssms-wal.db", Variant: "wal"},
	{Kind: "ab", Out: "telephony.ab"},
	{Kind: "ab", Out: "telephony-uncompressed.ab", Variant: "uncompressed"},
}

// GenerateSmall writes every SmallSet sample into dir.
func GenerateSmall(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, o := range SmallSet {
		o.Seed = SmallSeed
		o.Out = filepath.Join(dir, o.Out)
		if _, err := Generate(o); err != nil {
			return err
		}
	}
	return nil
}
