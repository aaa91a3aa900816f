package artifacts

import (
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestReserve(t *testing.T) {
	c := NewContext(report.New())
	s := make([]report.Message, 3, 4)
	if got := reserve(s, 1, messageBytes, c); cap(got) != 4 || len(got) != 3 {
		t.Errorf("room for 1 more: cap %d len %d, want the slice as it was", cap(got), len(got))
	}
	got := reserve(s, 1000, messageBytes, c)
	if cap(got) < 1003 || len(got) != 3 {
		t.Errorf("1000 more without a budget: cap %d len %d", cap(got), len(got))
	}
	// With a budget, no more room than it has left.
	c.SetBudget(100 * messageBytes)
	c.Hold(60 * messageBytes)
	got = reserve(s, 1000, messageBytes, c)
	if cap(got) < 43 || cap(got) > 64 {
		t.Errorf("budget left for 40: cap %d, want about 43", cap(got))
	}
	c.Hold(100 * messageBytes)
	if got := reserve(s, 1000, messageBytes, c); cap(got) != 4 {
		t.Errorf("budget spent: cap %d, want 4", cap(got))
	}
	// No database, no tables: nothing to do.
	c.ReserveMessages(nil)
	c.ReserveCalls(nil, nil)
}
