package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// Write streams r to w as exactly the bytes Encode returns, without ever
// holding the whole encoded report in memory: top-level arrays (and the
// arrays of Deleted) are encoded one element at a time. For a report of
// hundreds of thousands of records this saves the two copies (compact and
// indented) of the whole JSON that Encode needs.
func Write(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeObject(bw, reflect.ValueOf(r).Elem(), 1, encoders{}); err != nil {
		return err
	}
	if err := bw.WriteByte('\n'); err != nil {
		return err
	}
	return bw.Flush()
}

// writeObject writes the struct v as an indented JSON object whose fields
// sit at nesting depth depth. Slice fields are streamed element by element;
// struct fields named in streamInto (Deleted) are recursed into.
func writeObject(w *bufio.Writer, v reflect.Value, depth int, c encoders) error {
	t := v.Type()
	ind := strings.Repeat("  ", depth)
	w.WriteByte('{')
	first := true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if strings.Contains(opts, "omitempty") && isEmpty(fv) {
			continue
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.WriteString("\n" + ind)
		key, _ := json.Marshal(name)
		w.Write(key)
		w.WriteString(": ")
		var err error
		switch {
		case fv.Kind() == reflect.Slice && !fv.IsNil():
			err = writeArray(w, fv, depth+1, c)
		case fv.Kind() == reflect.Struct && f.Type == reflect.TypeOf(Deleted{}):
			err = writeObject(w, fv, depth+1, c)
		default:
			err = c.write(w, fv.Interface(), ind)
		}
		if err != nil {
			return err
		}
	}
	if !first {
		w.WriteString("\n" + strings.Repeat("  ", depth-1))
	}
	w.WriteByte('}')
	return nil
}

func writeArray(w *bufio.Writer, v reflect.Value, depth int, c encoders) error {
	if v.Len() == 0 {
		_, err := w.WriteString("[]")
		return err
	}
	ind := strings.Repeat("  ", depth)
	w.WriteByte('[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n" + ind)
		if err := c.write(w, v.Index(i).Interface(), ind); err != nil {
			return err
		}
	}
	w.WriteString("\n" + strings.Repeat("  ", depth-1) + "]")
	return nil
}

// encoders holds one json.Encoder per indentation prefix, reused for every
// value written at that depth: its buffer and its indentation buffer are
// kept between values (a new Encoder per record made ~200 MB of garbage
// for a 1 GiB backup's report, GC time that the page pays in wasm).
type encoders map[string]*valueEncoder

type valueEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// write encodes x as encoding/json would inside an indented document whose
// current line is indented by prefix.
func (c encoders) write(w *bufio.Writer, x any, prefix string) error {
	e := c[prefix]
	if e == nil {
		e = &valueEncoder{}
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
		e.enc.SetIndent(prefix, "  ")
		c[prefix] = e
	}
	e.buf.Reset()
	if err := e.enc.Encode(x); err != nil {
		return err
	}
	b := e.buf.Bytes()
	_, err := w.Write(b[:len(b)-1]) // without the Encoder's newline
	if e.buf.Cap() > 1<<20 {
		delete(c, prefix) // one huge value's buffers are not kept for the rest
	}
	return err
}

// isEmpty reports what encoding/json's omitempty treats as empty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
