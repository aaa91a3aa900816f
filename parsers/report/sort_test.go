package report

import (
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"
)

// sortStable orders records as sort.SliceStable does with the same
// comparison, ties (in their original order) included.
func TestSortStableSameAsSliceStable(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 2, 3, 7, 100, 1000, 5000} {
		msgs := make([]Message, n)
		for i := range msgs {
			if rng.Intn(5) > 0 {
				msgs[i].Time = UnixMilli(int64(rng.Intn(20)) * 1000)
			}
			msgs[i].Source = string(rune('a' + rng.Intn(3)))
			msgs[i].Body = time.Duration(i).String() // tells ties apart
		}
		want := slices.Clone(msgs)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if c := cmpTime(a.Time, b.Time); c != 0 {
				return c < 0
			}
			return a.Source < b.Source
		})
		sortMessages(msgs)
		if !reflect.DeepEqual(msgs, want) {
			t.Fatalf("n=%d: order differs", n)
		}
	}
}
