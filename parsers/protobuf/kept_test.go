package protobuf

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// nested builds a message of about n fields: varints, strings and nested
// messages down to depth d, from r.
func nested(r *rand.Rand, n, d int) []byte {
	var b []byte
	for n > 0 {
		num := protowire.Number(1 + r.IntN(40))
		switch k := r.IntN(10); {
		case k < 2 && d > 1 && n > 2:
			sub := 1 + r.IntN(min(n-1, 3000))
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendBytes(b, nested(r, sub, d-1))
			n -= sub + 1
		case k < 4:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendString(b, "text value")
			n--
		default:
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, r.Uint64N(1<<40))
			n--
		}
	}
	return b
}

// MaxKept: the tree a viewer shows (its first DefaultMaxNodes nodes, and
// the total) is the one of the whole message, while the fields kept stay
// within twice MaxKept whatever the input's size.
func TestMaxKept(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		data := nested(r, 100_000+r.IntN(100_000), 1+int(seed)%5)
		full, err := ParseOptions(data, Options{MaxFields: len(data)})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		kept, err := ParseOptions(data, Options{MaxFields: len(data), MaxKept: 4 * DefaultMaxNodes})
		if err != nil {
			t.Fatalf("seed %d (kept): %v", seed, err)
		}
		all := count(full)
		if n := count(kept); n > 8*DefaultMaxNodes || n+kept.Omitted != all || full.Omitted != 0 {
			t.Errorf("seed %d: kept %d + omitted %d of %d fields", seed, n, kept.Omitted, all)
		}
		if all <= 4*DefaultMaxNodes {
			t.Fatalf("seed %d: only %d fields, the test needs more", seed, all)
		}
		a, b := Tree(full, TreeOptions{}), Tree(kept, TreeOptions{})
		if !bytes.Equal(a, b) {
			t.Errorf("seed %d: the trees differ (%d / %d bytes)", seed, len(a), len(b))
		}
	}
}

// MaxTopNumber rejects a top-level field numbered above it, and only
// top-level ones.
func TestMaxTopNumber(t *testing.T) {
	inner := protowire.AppendVarint(protowire.AppendTag(nil, 70_000, protowire.VarintType), 1)
	ok := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), inner)
	bad := protowire.AppendVarint(protowire.AppendTag(nil, 70_000, protowire.VarintType), 1)
	o := Options{MaxTopNumber: MaxGuessNumber}
	if _, err := ParseOptions(bad, o); !errors.Is(err, ErrFieldNumber) {
		t.Errorf("top-level field 70000: %v", err)
	}
	if _, err := ParseOptions(bad, Options{}); err != nil {
		t.Errorf("without MaxTopNumber: %v", err)
	}
	if _, err := ParseOptions(ok, o); err != nil {
		t.Errorf("field 70000 below the top: %v", err)
	}
}
