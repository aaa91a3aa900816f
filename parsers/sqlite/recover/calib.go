package recover

import (
	"math"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// The confidence of a record is a calibrated probability: a logistic model
// over what is known about the reading (how it was reconstructed, how much
// of its layout was checked, how well its values fit the table, where it
// was found). The weights are fitted on generated databases whose truth is
// known (TestFitCalibration, seeds disjoint from the scenario tests), so
// that among records of confidence p about a fraction p is right.

// Features of a reading, in the order of calibWeights.
const (
	fBias        = iota
	fIntact      // a complete cell: payload size, rowid and header agree
	fRefCell     // a cell the page header still points to (page no longer in use)
	fAnchorCur   // freed cell at the start of a current freeblock
	fAnchorStale // freed cell under an old freeblock header that still makes sense
	fHdrOK       // freed cell whose header size survived and agrees
	fEndOK       // freed cell ending exactly at a known end
	fSolved      // the first field's size was solved from an end
	fChained     // another cell starts where this one ends
	fUnk0        // the first field's type was lost
	fFrag        // fragment bytes assumed after the cell
	fTypeBits    // evidence of the serial types, in bytes (bits/8)
	fOwner       // the page belongs to the record's table
	fRisky       // found where any table's bytes may be (unallocated, unparsable page)
	fLogFit      // log of the values' plausibility
	fStored      // log2(1+stored fields)
	fInform      // informative values (capped at 6), /6
	fMissing     // some values are missing
	fAmbiguous   // another reading with other values fits about as well
	fUTF16       // the database stores text as UTF-16
	fWeak        // weak signature: first stored field text and no rowid alias, or one stored value
	fSolvedWeak  // fSolved × fWeak
	fUnk0Weak    // fUnk0 × fWeak
	fLongPrefix  // freed cell whose payload-size and rowid varints took more than 2 bytes
	fTruncated   // the cell runs past the bytes that belong to it
	fOld         // found in a WAL frame or the journal
	fInferred    // a table known only from its records
	fMargin      // log-odds over the best reading with other values, /5
	fClean       // in a freed area, cells follow it up to the area's end
	fPrintInts   // integers of 3+ bytes that are all printable ASCII (0, 1, 2+)/2
	fOddSize0    // the first field's type was lost and no live row has a first field of its size
	nFeatures
)

// featureNames label the features (tests, documentation).
var featureNames = [nFeatures]string{"bias", "intact", "refcell", "anchor-current", "anchor-stale", "hdr-ok", "end-ok",
	"solved", "chained", "unk0", "frag", "typebits", "owner", "risky", "logfit", "stored", "informative", "missing",
	"ambiguous", "utf16", "weak", "solved*weak", "unk0*weak", "long-prefix", "truncated", "old", "inferred", "margin", "clean", "printints", "odd-size0"}

// features describes reading k of r found in im.
func (c *carver) features(im *image, r *rawRec, k *cand) [nFeatures]float64 {
	var f [nFeatures]float64
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	sh := k.sh
	f[fBias] = 1
	f[fIntact] = b(r.intact)
	f[fRefCell] = b(k.ref)
	if !r.intact {
		cur := im.fbStart != nil && im.fbStart[r.off]
		f[fAnchorCur] = b(cur)
		f[fAnchorStale] = b(!cur && c.staleEnd(im.data, r.off, len(im.data)) > r.off)
		f[fHdrOK] = b(r.hdrOK)
		f[fEndOK] = b(r.endOK && !r.solved)
		f[fSolved] = b(r.solved)
		f[fChained] = b(r.chained)
		f[fUnk0] = b(r.unk0)
		f[fFrag] = b(r.frag > 0)
		f[fLongPrefix] = b(r.hs-r.off > 2)
	}
	f[fTypeBits] = k.tbits / 8
	f[fOwner] = b(k.owner)
	f[fRisky] = b(k.risky)
	f[fLogFit] = math.Log(max(k.fit, 1e-6))
	f[fStored] = math.Log2(1 + float64(sh.stored))
	f[fInform] = float64(min(k.informative, 6)) / 6
	f[fMissing] = b(k.nMiss > 0 && !(k.nMiss == 1 && sh.aliasCol >= 0 && k.missing[sh.aliasCol]))
	f[fAmbiguous] = b(k.amb)
	f[fUTF16] = b(c.enc != sqlite.UTF8)
	weak := sh.stored <= 1 || (sh.alias != 0 && len(sh.aff) > 0 && (sh.aff[0] == sqlite.AffinityText || sh.aff[0] == sqlite.AffinityBlob))
	f[fWeak] = b(weak)
	f[fSolvedWeak] = f[fSolved] * f[fWeak]
	f[fUnk0Weak] = f[fUnk0] * f[fWeak]
	f[fTruncated] = b(k.truncated)
	f[fOld] = b(im.file != sqlite.FileMain)
	f[fInferred] = b(sh.inferred)
	f[fMargin] = max(k.margin, -5) / 5
	f[fClean] = b(k.clean)
	f[fPrintInts] = float64(min(k.printInts, 2)) / 2
	f[fOddSize0] = b(!r.intact && r.unk0 && sh.unusualSize0(r.size0))
	return f
}

// calibrated returns the calibrated confidence of a reading.
func calibrated(f *[nFeatures]float64) float64 {
	z := 0.0
	for i, w := range calibWeights {
		z += w * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// Selection and reporting thresholds.
const (
	selectFloor = 0.3 // heuristic confidence for a reading to be selected
	keepFloor   = 0.9 // calibrated confidence for a record to be kept
)

var (
	// calibOn turns calibration on (off only while fitting the weights).
	calibOn = true
)

// calibWeights are the fitted weights of the features (TestFitCalibration).
var calibWeights = [nFeatures]float64{
	-0.5961, // bias
	10.6988, // intact
	3.0717,  // refcell
	6.3230,  // anchor-current
	6.0067,  // anchor-stale
	3.2723,  // hdr-ok
	1.5958,  // end-ok
	-2.2251, // solved
	0.2152,  // chained
	3.8755,  // unk0
	-0.8418, // frag
	1.5531,  // typebits
	4.3034,  // owner
	0.2759,  // risky
	9.5871,  // logfit
	-2.7871, // stored
	-2.0029, // informative
	1.0230,  // missing
	-2.5731, // ambiguous
	0.0259,  // utf16
	1.6176,  // weak
	1.1287,  // solved*weak
	-2.8400, // unk0*weak
	-0.0588, // long-prefix
	3.1137,  // truncated
	0.4127,  // old
	0.0997,  // inferred
	0.7280,  // margin
	-0.4853, // clean
	-3.1718, // printints
	-6.5982, // odd-size0
}
