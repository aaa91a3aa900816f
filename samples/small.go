//go:build !js

package samples

import (
	"os"
	"path/filepath"
)

//go:generate go run ./cmd/gen -kind small -out small

// SmallSeed is the seed of every committed small sample.
const SmallSeed = 1

// SmallSet lists the committed small samples (file name → options).
// Regenerate with: go run ./samples/cmd/gen -kind small -out samples/small
var SmallSet = []Options{
	{Kind: "mmssms", Out: "mmssms.db"},
	{Kind: "mmssms", Out: "mmssms-wal.db", Variant: "wal"},
	{Kind: "ab", Out: "telephony.ab"},
	{Kind: "ab", Out: "telephony-uncompressed.ab", Variant: "uncompressed"},
	{Kind: "ab-encrypted", Out: "telephony-encrypted.ab"},
	{Kind: "ab-encrypted", Out: "telephony-encrypted-v1.ab", Variant: "v1"},
	{Kind: "miui", Out: "miui"},
	{Kind: "miui", Out: "miui.zip", Variant: "zip"},
	{Kind: "miui", Out: "miui-encrypted-xspace.zip", Variant: "zip,encrypted,xspace"},
	{Kind: "dump", Out: "dump.zip"},
	{Kind: "smsbr", Out: "smsbr"},
	{Kind: "vcard", Out: "contacts.vcf"},
}

// GenerateSmall writes every SmallSet sample into dir.
func GenerateSmall(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, o := range SmallSet {
		o.Seed = SmallSeed
		if o.Kind == "ab-encrypted" || o.Kind == "miui" {
			o.Password = DefaultPassword
		}
		o.Out = filepath.Join(dir, o.Out)
		if _, err := Generate(o); err != nil {
			return err
		}
	}
	return nil
}
