//go:build js && wasm

package main

import (
	"math"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func TestCompareValuesOrdersLikeSQLite(t *testing.T) {
	// NULL < numbers (integers and reals compared by value) < text < blob.
	order := []sqlite.Value{
		{},
		sqlite.IntValue(-5),
		sqlite.RealValue(-1.5),
		sqlite.IntValue(0),
		sqlite.RealValue(0.5),
		sqlite.IntValue(1),
		sqlite.IntValue(math.MaxInt64),
		sqlite.TextValue(""),
		sqlite.TextValue("B"),
		sqlite.TextValue("a"),
		sqlite.BlobValue([]byte{0}),
	}
	for i := range order {
		for j := range order {
			got := compareValues(order[i], order[j])
			want := cmpInt(int64(i), int64(j))
			if got != want {
				t.Errorf("compare(%v, %v) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if compareValues(sqlite.IntValue(2), sqlite.RealValue(2)) != 0 {
		t.Error("2 and 2.0 compare equal")
	}
}

func TestTableCacheOrder(t *testing.T) {
	row := func(id int64, name string, n sqlite.Value) sqlite.Row {
		return sqlite.Row{RowID: id, HasRowID: true, Values: []sqlite.Value{sqlite.TextValue(name), n}}
	}
	tc := &tableCache{complete: true, rows: []sqlite.Row{
		row(3, "Carol", sqlite.IntValue(30)),
		row(1, "alice", sqlite.Value{}),
		row(2, "Bob", sqlite.IntValue(10)),
		row(4, "Привет", sqlite.IntValue(10)),
	}}
	ids := func(o []int32) (out []int64) {
		for _, i := range o {
			out = append(out, tc.rows[i].RowID)
		}
		return out
	}
	for _, c := range []struct {
		q    dbQuery
		want []int64
	}{
		{dbQuery{Sort: -1}, []int64{3, 1, 2, 4}},
		{dbQuery{Sort: -1, Desc: true}, []int64{4, 2, 1, 3}},
		{dbQuery{Sort: -2}, []int64{1, 2, 3, 4}},
		{dbQuery{Sort: 0}, []int64{2, 3, 1, 4}},             // binary collation: upper case first
		{dbQuery{Sort: 1}, []int64{1, 2, 4, 3}},             // NULL first; ties in table order
		{dbQuery{Sort: 1, Desc: true}, []int64{3, 2, 4, 1}}, // ties keep table order
		{dbQuery{Sort: -1, Filter: "ПРИВЕТ"}, []int64{4}},   // case-insensitive, any script
		{dbQuery{Sort: -2, Filter: "10"}, []int64{2, 4}},    // numbers are text for the filter
		{dbQuery{Sort: -1, Filter: "null"}, []int64{1}},     // NULL shows as NULL
		{dbQuery{Sort: -1, Filter: "no such thing"}, nil},
	} {
		got := ids(tc.orderFor(c.q))
		if len(got) != len(c.want) {
			t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
				break
			}
		}
	}
}
