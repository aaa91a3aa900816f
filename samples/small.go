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

// GenerateBig writes, one at a time, an .ab, an encrypted .ab, a MIUI zip
// and a dump zip of about o.Size bytes each into the directory o.Out
// (default size 1 GiB), each with its truth file.
func GenerateBig(o Options) error {
	if o.Size <= 0 {
		o.Size = 1 << 30
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	tag := sizeTag(o.Size)
	for _, b := range []Options{
		{Kind: "ab", Out: "telephony-" + tag + ".ab"},
		{Kind: "ab-encrypted", Out: "telephony-encrypted-" + tag + ".ab"},
		{Kind: "miui", Out: "miui-" + tag + ".zip", Variant: "zip"},
		{Kind: "dump", Out: "dump-" + tag + ".zip"},
	} {
		b.Seed, b.Size, b.Hostile, b.Deleted, b.Password = o.Seed, o.Size, o.Hostile, o.Deleted, o.Password
		b.Out = filepath.Join(o.Out, b.Out)
		if _, err := Generate(b); err != nil {
			return err
		}
	}
	return nil
}

func sizeTag(n int64) string {
	switch {
	case n%(1<<30) == 0:
		return itoa(int(n>>30)) + "g"
	case n%(1<<20) == 0:
		return itoa(int(n>>20)) + "m"
	}
	return i64toa(n)
}
