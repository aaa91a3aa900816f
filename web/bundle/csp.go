package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The CSP placeholders replaced by the hashes of the page's inline scripts
// and style sheets.
const (
	scriptHashes = "/*CSP:script-hashes*/"
	styleHashes  = "/*CSP:style-hashes*/"
)

// withCSPHashes replaces the CSP placeholders of page by the 'sha256-…'
// sources of its executable inline scripts and its <style> elements. It
// refuses what such a policy would block or what would weaken it: a script
// with src, an inline event handler (on*=), a style attribute, a
// javascript: URL.
func withCSPHashes(page []byte) ([]byte, error) {
	scripts, styles, err := inlineHashes(page)
	if err != nil {
		return nil, err
	}
	if len(scripts) == 0 {
		return nil, fmt.Errorf("no inline script to hash")
	}
	for _, ph := range []string{scriptHashes, styleHashes} {
		if bytes.Count(page, []byte(ph)) != 1 {
			return nil, fmt.Errorf("the page needs exactly one %s in its Content-Security-Policy", ph)
		}
	}
	page = bytes.Replace(page, []byte(scriptHashes), []byte(strings.Join(scripts, " ")), 1)
	if len(styles) == 0 {
		styles = []string{"'none'"}
	}
	return bytes.Replace(page, []byte(styleHashes), []byte(strings.Join(styles, " ")), 1), nil
}

// inlineHashes returns the CSP hash sources of the executable inline
// scripts and of the <style> elements of page, in document order, without
// repeats.
func inlineHashes(page []byte) (scripts, styles []string, err error) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var in atom.Atom // the raw-text element being read, if any
	exec := false    // the script being read is JavaScript
	seen := map[string]bool{}
	add := func(list *[]string, text []byte) {
		h := source(text)
		if !seen[h] {
			seen[h] = true
			*list = append(*list, h)
		}
	}
	var text []byte
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return scripts, styles, nil
			}
			return nil, nil, z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			typ, src := "", false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key := strings.ToLower(string(k))
				switch {
				case strings.HasPrefix(key, "on"):
					return nil, nil, fmt.Errorf("<%s %s=…>: inline event handlers are blocked by the page's policy; use addEventListener", name, key)
				case key == "style":
					return nil, nil, fmt.Errorf("<%s style=…>: style attributes are blocked by the page's policy; use the style sheet or element.style", name)
				case key == "src" && a == atom.Script:
					src = true
				case key == "type":
					typ = strings.ToLower(strings.TrimSpace(string(v)))
				}
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(v))), "javascript:") {
					return nil, nil, fmt.Errorf("<%s %s=%q>: javascript: URLs are blocked by the page's policy", name, key, v)
				}
			}
			if a == atom.Script && src {
				return nil, nil, fmt.Errorf("<script src>: the page loads nothing; inline the script")
			}
			if (a == atom.Script || a == atom.Style) && tt == html.StartTagToken {
				in, exec, text = a, a == atom.Script && isJavaScript(typ), nil
			}
		case html.TextToken:
			if in != 0 {
				text = append(text, z.Raw()...)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); a == in && in != 0 {
				switch {
				case in == atom.Style:
					add(&styles, text)
				case exec:
					add(&scripts, text)
				}
				in = 0
			}
		}
	}
}

// isJavaScript reports whether a script of this type attribute runs
// (the HTML standard's JavaScript MIME type essence match, or a module).
func isJavaScript(typ string) bool {
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = strings.TrimSpace(typ[:i])
	}
	switch typ {
	case "", "module", "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
		"application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
		"text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
		"text/x-ecmascript", "text/x-javascript":
		return true
	}
	return false
}

// source is the CSP hash source of an element's text as the browser sees it:
// the HTML parser turns CR LF and lone CR into LF before anything else.
func source(raw []byte) string {
	t := bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	t = bytes.ReplaceAll(t, []byte("\r"), []byte("\n"))
	sum := sha256.Sum256(t)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// checkPolicy checks that page has a Content-Security-Policy <meta> before
// any script, whose script-src and style-src allow no inline code but the
// page's own (no 'unsafe-inline', 'unsafe-eval' or 'unsafe-hashes').
func checkPolicy(page []byte) error {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return fmt.Errorf("the page has no Content-Security-Policy")
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		switch atom.Lookup(name) {
		case atom.Script:
			return fmt.Errorf("a script comes before the page's Content-Security-Policy")
		case atom.Meta:
			var equiv, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if equiv != "content-security-policy" {
				continue
			}
			for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "/*CSP:"} {
				if strings.Contains(content, bad) {
					return fmt.Errorf("the page's Content-Security-Policy contains %s: %s", bad, content)
				}
			}
			if !strings.Contains(content, "script-src 'sha256-") {
				return fmt.Errorf("the page's Content-Security-Policy allows no script by hash: %s", content)
			}
			return nil
		}
	}
}
