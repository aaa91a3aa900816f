//go:build !js

package recover

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// sample is one selected reading with its features and whether its values
// are right (consistent with some version of a row of its table).
type sample struct {
	x  [nFeatures]float64
	ok bool
}

// collectSamples runs the scenario configurations of quickScenarios with
// the given seed shift and returns every selected reading, uncalibrated.
func collectSamples(t testing.TB, shift int64) []sample {
	saved := os.Getenv("BI_RECOVER_SEED")
	os.Setenv("BI_RECOVER_SEED", strconv.FormatInt(shift, 10))
	scs := quickScenarios()
	os.Setenv("BI_RECOVER_SEED", saved)
	var out []sample
	for _, sc := range scs {
		f, g := generate(t, sc)
		truth := g.truth(f)
		byTable := map[string][]*truthRow{}
		for _, tr := range truth {
			byTable[tr.table] = append(byTable[tr.table], tr)
		}
		db := openFiles(t, f)
		opts := Options{}
		if f.journal != nil {
			opts.Journal, opts.JournalSize = bytes.NewReader(f.journal), int64(len(f.journal))
		}
		c := search(db, opts)
		for _, k := range c.out {
			if k.sh.internal {
				continue
			}
			r := Record{Table: k.sh.name, Values: k.vals, Missing: k.missing, RowID: k.rowid}
			if k.sh.inferred {
				r.Table = ""
			}
			ok := false
			for _, tr := range rowsFor(&r, byTable) {
				if consistent(&r, tr) {
					ok = true
					break
				}
			}
			out = append(out, sample{x: *k.feat, ok: ok})
		}
	}
	return out
}

// fitLogistic fits L2-regularised logistic regression by Newton's method.
func fitLogistic(s []sample, lambda float64) [nFeatures]float64 {
	var w [nFeatures]float64
	const n = nFeatures
	for it := 0; it < 50; it++ {
		var g [n]float64
		var h [n][n]float64
		for _, e := range s {
			z := 0.0
			for i := range w {
				z += w[i] * e.x[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if e.ok {
				y = 1
			}
			for i := range n {
				g[i] += (p - y) * e.x[i]
				for j := range n {
					h[i][j] += p * (1 - p) * e.x[i] * e.x[j]
				}
			}
		}
		for i := 1; i < n; i++ {
			g[i] += lambda * w[i]
			h[i][i] += lambda
		}
		h[0][0] += 1e-9
		step := solve(h, g)
		maxStep := 0.0
		for i := range w {
			w[i] -= step[i]
			maxStep = max(maxStep, math.Abs(step[i]))
		}
		if maxStep < 1e-7 {
			break
		}
	}
	return w
}

// solve solves h·x = g by Gaussian elimination with partial pivoting.
func solve(h [nFeatures][nFeatures]float64, g [nFeatures]float64) [nFeatures]float64 {
	const n = nFeatures
	for col := range n {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(h[r][col]) > math.Abs(h[piv][col]) {
				piv = r
			}
		}
		h[col], h[piv] = h[piv], h[col]
		g[col], g[piv] = g[piv], g[col]
		if math.Abs(h[col][col]) < 1e-12 {
			h[col][col] = 1e-12
		}
		for r := col + 1; r < n; r++ {
			f := h[r][col] / h[col][col]
			for k := col; k < n; k++ {
				h[r][k] -= f * h[col][k]
			}
			g[r] -= f * g[col]
		}
	}
	var x [n]float64
	for r := n - 1; r >= 0; r-- {
		s := g[r]
		for k := r + 1; k < n; k++ {
			s -= h[r][k] * x[k]
		}
		x[r] = s / h[r][r]
	}
	return x
}

// reliability prints predicted against observed correctness per bin, and
// precision and kept fraction at a few thresholds.
func reliability(t testing.TB, name string, s []sample, w [nFeatures]float64) {
	type pr struct {
		p  float64
		ok bool
	}
	var ps []pr
	for _, e := range s {
		z := 0.0
		for i := range w {
			z += w[i] * e.x[i]
		}
		ps = append(ps, pr{1 / (1 + math.Exp(-z)), e.ok})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].p < ps[j].p })
	bins := []float64{0, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0001}
	var b strings.Builder
	for i := 0; i+1 < len(bins); i++ {
		n, ok, sum := 0, 0, 0.0
		for _, e := range ps {
			if e.p >= bins[i] && e.p < bins[i+1] {
				n++
				sum += e.p
				if e.ok {
					ok++
				}
			}
		}
		if n > 0 {
			fmt.Fprintf(&b, "  [%.3f,%.3f): n %5d predicted %.3f observed %.3f\n", bins[i], bins[i+1], n, sum/float64(n), float64(ok)/float64(n))
		}
	}
	for _, th := range []float64{0.5, 0.8, 0.9, 0.95, 0.98} {
		n, ok, okAll := 0, 0, 0
		for _, e := range ps {
			if e.ok {
				okAll++
			}
			if e.p >= th {
				n++
				if e.ok {
					ok++
				}
			}
		}
		fmt.Fprintf(&b, "  threshold %.2f: kept %d (%d of %d right ones), precision %.4f\n", th, n, ok, okAll, float64(ok)/float64(max(n, 1)))
	}
	t.Logf("%s: %d samples\n%s", name, len(s), b.String())
}

// TestFitCalibration fits calibWeights on generated databases (seed shifts
// 10..15, disjoint from the scenario tests' 0 and the checks' 1..2) and
// prints them, with their reliability on seed shifts 1 and 2.
// BI_RECOVER_FIT=1 go test -run FitCalibration -v ./parsers/sqlite/recover/
func TestFitCalibration(t *testing.T) {
	if os.Getenv("BI_RECOVER_FIT") == "" {
		t.Skip("set BI_RECOVER_FIT=1 to fit the calibration weights")
	}
	saved := calibOn
	calibOn = false
	defer func() { calibOn = saved }()
	var train, check []sample
	for shift := int64(10); shift <= 15; shift++ {
		train = append(train, collectSamples(t, shift)...)
	}
	for shift := int64(1); shift <= 2; shift++ {
		check = append(check, collectSamples(t, shift)...)
	}
	w := fitLogistic(train, 0.5)
	var b strings.Builder
	b.WriteString("var calibWeights = [nFeatures]float64{\n")
	for i, v := range w {
		fmt.Fprintf(&b, "\t%.4f, // %s\n", v, featureNames[i])
	}
	b.WriteString("}\n")
	t.Log("\n" + b.String())
	reliability(t, "train", train, w)
	reliability(t, "check", check, w)
}
