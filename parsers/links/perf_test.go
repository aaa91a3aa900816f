package links

import (
	"strings"
	"testing"
)

// TestFindPathological runs inputs that would take minutes if any scan
// were quadratic (the test would then time out).
func TestFindPathological(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("com.", 200000),
		"x@" + strings.Repeat("a.com", 100000),
		strings.Repeat("http:///", 100000),
		strings.Repeat("www.@", 100000),
		"http://a.com/" + strings.Repeat(")", 200000),
		strings.Repeat("(", 100000) + "http://a.com/" + strings.Repeat(")", 100000),
		strings.Repeat("a.a.", 100000) + "com",
	} {
		for _, l := range Find(s) {
			if l.URL == "" {
				t.Fatal("empty URL")
			}
		}
	}
}

func BenchmarkFind(b *testing.B) {
	body := "Your package will arrive today. Track: https://amzn.eu/d/7Hq2kLp, reply STOP to opt out. 看看这个：https://例子.测试/活动 and www.example.com."
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		Find(body)
	}
}
