package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestWriteEqualsEncode checks that the streaming writer produces exactly
// the bytes of Encode, for an empty report and a report with every part.
func TestWriteEqualsEncode(t *testing.T) {
	one := int64(1) << 60
	off := int64(42)
	full := New()
	full.Inputs = []Input{{Name: "a<b>.ab", Size: 3, SHA256: "00", Format: "android-backup"}}
	full.Messages = []Message{{Kind: "sms", Direction: DirIncoming, Address: "+44 <7700>", Body: "héllo & \"bye\"\n\u2028", Time: &Time{time.UnixMilli(1588858433593)}, SubID: &one,
		Links: []Link{{URL: "https://x.example/", Host: "x.example"}}, Extra: map[string]string{"b": "2", "a": "1"}, Source: "a.ab!x#sms:1"}}
	full.Deleted.Messages = []Message{{Kind: "sms", Deleted: true, Source: "y"}}
	full.Contacts = []Contact{{Name: "Ann", Phones: []Phone{{Number: "1"}}, Accounts: []Account{{Type: "com.google", Kind: "google"}}}}
	full.Problems = []Problem{{Input: "a", Offset: &off, Code: "truncated", Message: "truncated at offset 42"}}
	full.Recovered = []Recovered{{Database: "d", Table: "t", Values: []json.RawMessage{json.RawMessage(`{"missing":true}`), json.RawMessage(`12345678901234567890`)}}}
	full.Indicators = &Indicators{}
	for _, r := range []*Report{New(), full} {
		Finalize(r)
		want, err := Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Write(&got, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("Write differs from Encode:\n--- Write\n%s\n--- Encode\n%s", got.Bytes(), want)
		}
	}
}
