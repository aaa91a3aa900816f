package artifacts

import (
	"maps"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// heapGrowth returns the live heap bytes that fill adds (after GC).
func heapGrowth(fill func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fill()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

func s(prefix string, i int) string { return prefix + strconv.Itoa(i) }

// The estimates must not undercount what records really take (the budget
// would then let the process grow past it), nor overcount wildly (records
// would be dropped needlessly).
func TestRecordBytesAgainstHeap(t *testing.T) {
	const n = 20000
	shapes := []struct {
		name string
		add  func(c *Context, i int) int64
	}{
		{"message-minimal", func(c *Context, i int) int64 {
			m := report.Message{Kind: "sms", Direction: report.DirIncoming, Address: s("+1555", i), Body: "", Time: report.UnixMilli(int64(i) + 1), Source: s("sms.xml#sms[", i) + "]"}
			c.AddMessage(m)
			return MessageBytes(&m)
		}},
		{"message-link-extra", func(c *Context, i int) int64 {
			m := report.Message{Kind: "sms", Direction: report.DirOutgoing, Address: s("+1555", i), Body: s("see https://example.com/", i),
				Time: report.UnixMilli(int64(i) + 1), Links: []report.Link{{URL: s("https://example.com/", i), Text: s("https://example.com/", i), Host: s("example.com", i%2)}},
				Extra: map[string]string{"date_raw": strconv.Itoa(i), "date_note": s("implausible ", i)}, Source: s("mmssms.db#sms:", i)}
			r := true
			m.Read = &r
			c.AddMessage(m)
			return MessageBytes(&m)
		}},
		{"contact", func(c *Context, i int) int64 {
			ct := report.Contact{Name: s("Name ", i), Phones: []report.Phone{{Number: s("+1555", i), Type: "mobile"}},
				Accounts: []report.Account{{Type: "vcard", Kind: "other"}}, Source: s("c.vcf#vcard[", i) + "]"}
			c.AddContact(ct)
			return ContactBytes(&ct)
		}},
		{"call", func(c *Context, i int) int64 {
			cl := report.Call{Number: s("+1555", i), Direction: report.CallIncoming, Time: report.UnixMilli(int64(i) + 1),
				Extra: map[string]string{"date_raw": strconv.Itoa(i)}, Source: s("calls.xml#call[", i) + "]"}
			c.AddCall(cl)
			return CallBytes(&cl)
		}},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			r := &report.Report{}
			c := NewContext(r)
			var est int64
			real := heapGrowth(func() {
				for i := 0; i < n; i++ {
					est += sh.add(c, i)
				}
			})
			runtime.KeepAlive(r)
			ratio := float64(est) / float64(real)
			t.Logf("%d records: estimated %d bytes, heap grew %d (%.2f×)", n, est, real, ratio)
			if ratio < 0.95 || ratio > 1.8 {
				t.Errorf("estimate %.2f× the heap, want 0.95–1.8", ratio)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	r := &report.Report{}
	c := NewContext(r)
	f := &container.File{Path: "in.zip!sms.xml"}
	g := &container.File{Path: "in.zip!other.xml"}
	msg := func(i int) report.Message {
		return report.Message{Kind: "sms", Body: strings.Repeat("b", 100), Source: s(f.Path+"#sms[", i) + "]"}
	}
	per := MessageBytes(&report.Message{Kind: "sms", Body: strings.Repeat("b", 100), Source: f.Path + "#sms[0]"})
	c.SetBudget(10*per + 1000)
	c.Hold(1000)
	if c.Used() != 1000 || c.Full() {
		t.Fatalf("used %d full %v", c.Used(), c.Full())
	}
	c.Reading(f)
	kept := 0
	for i := 0; i < 20; i++ {
		if c.AddMessage(msg(i)) {
			kept++
		}
	}
	if kept != 10 || len(r.Messages) != 10 || !c.Full() {
		t.Fatalf("kept %d, %d messages, full %v; want 10", kept, len(r.Messages), c.Full())
	}
	if len(r.Problems) != 1 {
		t.Fatalf("problems %+v, want one for the file", r.Problems)
	}
	p := r.Problems[0]
	if p.Code != CodeRecordBudget || p.Path != f.Path || p.Input != "in.zip" || !strings.Contains(p.Message, f.Path+"#sms[10]") || p.Warning {
		t.Errorf("problem %+v: want record-budget for %s naming the first record not kept (sms[10])", p, f.Path)
	}
	// every kind of record is refused once full; one problem per file
	c.Reading(g)
	if c.AddCall(report.Call{Source: g.Path + "#call[0]"}) || c.AddContact(report.Contact{}) || c.AddIdentifier(report.Identifier{}) ||
		c.AddPayload(report.Payload{}) || c.AddRecovered(report.Recovered{}) {
		t.Error("a record was kept past the budget")
	}
	if len(r.Problems) != 2 || r.Problems[1].Path != g.Path {
		t.Errorf("problems %+v: want a second one for %s", r.Problems, g.Path)
	}
	// the problems stop after maxBudgetProblems files (and one that says so)
	for i := 0; i < 2*maxBudgetProblems; i++ {
		c.Reading(&container.File{Path: s("in.zip!f", i)})
		c.AddMessage(msg(0))
	}
	if len(r.Problems) != maxBudgetProblems+1 || !strings.Contains(r.Problems[maxBudgetProblems].Message, "only the first") {
		t.Errorf("%d problems, want %d", len(r.Problems), maxBudgetProblems+1)
	}
	// no budget: everything is kept
	c2 := NewContext(&report.Report{})
	for i := 0; i < 1000; i++ {
		if !c2.AddMessage(msg(i)) {
			t.Fatal("record refused without a budget")
		}
	}
}

func TestMemoryCheck(t *testing.T) {
	c := NewContext(&report.Report{})
	c.SetBudget(1 << 40)
	calls := 0
	c.SetMemoryCheck(func() { calls++ })
	body := strings.Repeat("x", 1000)
	per := MessageBytes(&report.Message{Body: body})
	n := int(3*MemoryCheckEvery/per) + 1
	for i := 0; i < n; i++ {
		if !c.AddMessage(report.Message{Body: body}) {
			t.Fatal("not kept")
		}
	}
	// once per MemoryCheckEvery bytes of records kept, not per record
	if want := int(c.Used() / MemoryCheckEvery); calls != want || calls != 3 {
		t.Errorf("%d calls for %d bytes kept, want %d (3)", calls, c.Used(), want)
	}
}

// TestShareExtra: messages and calls with equal Extra maps share one map,
// others (different values, more than shareMaxEntries entries, contacts)
// keep their own, and every record still has its own values.
func TestShareExtra(t *testing.T) {
	ctx := NewContext(&report.Report{})
	same := func() map[string]string {
		return map[string]string{"creator": "com.android.mms", "advanced_seen": "3 (seen)"}
	}
	big := map[string]string{}
	for i := range shareMaxEntries + 1 {
		big[strconv.Itoa(i)] = "x"
	}
	// Keys and values whose concatenation is the same must not be shared.
	tricky := []map[string]string{{"ab": "c"}, {"a": "bc"}}
	msgs := []map[string]string{same(), same(), {"creator": "com.android.mms", "advanced_seen": "0"}, nil, big, maps.Clone(big), tricky[0], tricky[1], same()}
	for i, e := range msgs {
		ctx.AddMessage(report.Message{Body: strconv.Itoa(i), Extra: e, Source: "s#sms:" + strconv.Itoa(i)})
	}
	ctx.AddCall(report.Call{Number: "1", Extra: same(), Source: "c#calls:1"})
	ctx.AddCall(report.Call{Number: "2", Extra: same(), Source: "c#calls:2"})
	ctx.AddContact(report.Contact{Name: "n", Extra: same(), Source: "k#raw_contacts:1"})
	got := ctx.Report.Messages
	ptr := func(m map[string]string) uintptr { return reflect.ValueOf(m).Pointer() }
	for i, e := range msgs {
		if !maps.Equal(got[i].Extra, e) {
			t.Fatalf("message %d: Extra %v, want %v", i, got[i].Extra, e)
		}
	}
	if ptr(got[1].Extra) != ptr(got[0].Extra) || ptr(got[8].Extra) != ptr(got[0].Extra) || ptr(ctx.Report.Calls[1].Extra) != ptr(ctx.Report.Calls[0].Extra) {
		t.Error("equal Extra maps not shared")
	}
	if ptr(got[2].Extra) == ptr(got[0].Extra) || ptr(got[5].Extra) == ptr(got[4].Extra) || ptr(got[7].Extra) == ptr(got[6].Extra) {
		t.Error("a map shared with a different or a too big one")
	}
	if ptr(ctx.Report.Contacts[0].Extra) == ptr(got[0].Extra) {
		t.Error("a contact's Extra shared (contacts get notes added after)")
	}
	// More distinct maps than the table holds (calls with a different
	// number each) do not stop the common ones being shared after.
	for i := range shareMaxMaps + 10 {
		ctx.AddCall(report.Call{Number: "1", Extra: map[string]string{"normalized_number": strconv.Itoa(i)}, Source: "c#calls:" + strconv.Itoa(i)})
		ctx.AddMessage(report.Message{Body: "u", Extra: map[string]string{"n": strconv.Itoa(i)}, Source: "s#sms:u" + strconv.Itoa(i)})
	}
	ctx.AddMessage(report.Message{Body: "a", Extra: same(), Source: "s#sms:a"})
	ctx.AddMessage(report.Message{Body: "b", Extra: same(), Source: "s#sms:b"})
	got = ctx.Report.Messages
	if a, b := got[len(got)-2].Extra, got[len(got)-1].Extra; ptr(a) != ptr(b) || !maps.Equal(a, same()) {
		t.Error("equal maps not shared once the table was full")
	}
}
