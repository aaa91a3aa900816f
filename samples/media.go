//go:build !js

package samples

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
)

// smallJPEG returns a small valid JPEG (a colour gradient) derived from v.
func smallJPEG(v uint64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	r0, g0, b0 := uint8(v), uint8(v>>8), uint8(v>>16)
	for y := 0; y < 32; y++ {
		for x := 0; x < 48; x++ {
			img.Set(x, y, color.RGBA{r0 + uint8(x*5), g0 + uint8(y*7), b0 + uint8(x+y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 70}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GPS is a position written into EXIF.
type GPS struct{ Lat, Lon float64 }

// withEXIF inserts an APP1 Exif segment (Make, Model, DateTime and, if gps
// is non-nil, a GPS IFD) right after the SOI marker of jpg.
func withEXIF(jpg []byte, make_, model, dateTime string, gps *GPS) []byte {
	var t bytes.Buffer
	be := binary.BigEndian
	w16 := func(v uint16) { binary.Write(&t, be, v) }
	w32 := func(v uint32) { binary.Write(&t, be, v) }
	t.WriteString("MM\x00\x2a")
	w32(8)
	type entry struct {
		tag, typ uint16
		count    uint32
		data     []byte // out-of-line when > 4 bytes
		inline   uint32
	}
	asc := func(s string) []byte { return append([]byte(s), 0) }
	ifd0 := []entry{
		{tag: 0x010F, typ: 2, data: asc(make_)},
		{tag: 0x0110, typ: 2, data: asc(model)},
		{tag: 0x0132, typ: 2, data: asc(dateTime)},
	}
	if gps != nil {
		ifd0 = append(ifd0, entry{tag: 0x8825, typ: 4, count: 1})
	}
	for i := range ifd0 {
		if ifd0[i].data != nil {
			ifd0[i].count = uint32(len(ifd0[i].data))
		}
	}
	rat := func(f float64) []byte {
		f = math.Abs(f)
		d := math.Floor(f)
		m := math.Floor((f - d) * 60)
		s := ((f-d)*60 - m) * 60
		var b bytes.Buffer
		binary.Write(&b, be, []uint32{uint32(d), 1, uint32(m), 1, uint32(math.Round(s * 100)), 100})
		return b.Bytes()
	}
	var gpsIFD []entry
	if gps != nil {
		latRef, lonRef := "N", "E"
		if gps.Lat < 0 {
			latRef = "S"
		}
		if gps.Lon < 0 {
			lonRef = "W"
		}
		gpsIFD = []entry{
			{tag: 0, typ: 1, count: 4, inline: 0x02020000},
			{tag: 1, typ: 2, count: 2, inline: uint32(latRef[0]) << 24},
			{tag: 2, typ: 5, count: 3, data: rat(gps.Lat)},
			{tag: 3, typ: 2, count: 2, inline: uint32(lonRef[0]) << 24},
			{tag: 4, typ: 5, count: 3, data: rat(gps.Lon)},
		}
	}
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	extra := func(es []entry) int {
		n := 0
		for _, e := range es {
			if len(e.data) > 4 {
				n += len(e.data) + len(e.data)%2
			}
		}
		return n
	}
	off0 := 8
	data0 := off0 + ifdSize(len(ifd0))
	gpsOff := data0 + extra(ifd0)
	writeIFD := func(es []entry, dataOff int) {
		w16(uint16(len(es)))
		var blob bytes.Buffer
		for _, e := range es {
			w16(e.tag)
			w16(e.typ)
			w32(e.count)
			switch {
			case e.tag == 0x8825 && e.typ == 4:
				w32(uint32(gpsOff))
			case len(e.data) > 4:
				w32(uint32(dataOff + blob.Len()))
				blob.Write(e.data)
				if len(e.data)%2 == 1 {
					blob.WriteByte(0)
				}
			case e.data != nil:
				var v [4]byte
				copy(v[:], e.data)
				t.Write(v[:])
			default:
				w32(e.inline)
			}
		}
		w32(0)
		t.Write(blob.Bytes())
	}
	writeIFD(ifd0, data0)
	if gps != nil {
		writeIFD(gpsIFD, gpsOff+ifdSize(len(gpsIFD)))
	}
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, be, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(jpg[2:])
	return out.Bytes()
}

// writeBigJPEG writes a valid JPEG of exactly size bytes (if size is larger
// than small): SOI, APP15 segments filled from fill, then the rest of small.
func writeBigJPEG(w io.Writer, small []byte, size int64, fill io.Reader) error {
	if size <= int64(len(small)) {
		_, err := w.Write(small)
		return err
	}
	if _, err := w.Write(small[:2]); err != nil {
		return err
	}
	pad := size - int64(len(small))
	const maxSeg = 65535 + 2
	buf := make([]byte, maxSeg)
	for pad >= 4 {
		n := pad
		if n > maxSeg {
			n = maxSeg
		}
		if rest := pad - n; rest > 0 && rest < 4 {
			n -= 4
		}
		seg := buf[:n]
		seg[0], seg[1] = 0xFF, 0xEF
		binary.BigEndian.PutUint16(seg[2:], uint16(n-2))
		if _, err := io.ReadFull(fill, seg[4:]); err != nil {
			return err
		}
		if _, err := w.Write(seg); err != nil {
			return err
		}
		pad -= n
	}
	if _, err := w.Write(small[2:]); err != nil {
		return err
	}
	if pad > 0 { // 1-3 bytes left: trailing bytes after EOI, ignored by decoders
		_, err := w.Write(make([]byte, pad))
		return err
	}
	return nil
}
