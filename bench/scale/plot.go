package main

import (
	"fmt"
	"image/color"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
	green  = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	red    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// drawPNG makes three panels side by side: query rate, peak memory, and the
// cost per RRset, each against the zone size (log scale).
func drawPNG(pts []point, path string) error {
	rate := panel("Query rate", "queries per second")
	rate.Y.Min = 0
	addLine(rate, "parity (both servers)", blue, pts, func(p point) float64 { return p.ParityQPS })
	addLine(rate, "dnsperf Knot", green, pts, func(p point) float64 { return p.KnotQPS })
	addLine(rate, "dnsperf BIND", orange, pts, func(p point) float64 { return p.BINDQPS })

	mem := panel("Peak memory of parity", "peak RSS (MiB)")
	mem.Y.Scale, mem.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	mem.Legend.Top, mem.Legend.YOffs = true, -vg.Millimeter*6 // the line rises to the right
	addLine(mem, "peak RSS", blue, pts, func(p point) float64 { return p.RSSMiB })
	goal, _ := plotter.NewLine(plotter.XYs{{X: float64(pts[0].RRsets), Y: 1024}, {X: float64(pts[len(pts)-1].RRsets), Y: 1024}})
	goal.Color, goal.Dashes = red, []vg.Length{vg.Points(4), vg.Points(3)}
	mem.Add(goal)
	mem.Legend.Add("goal: 1 GiB", goal)

	cost := panel("Cost per RRset (flat = linear growth)", "per RRset")
	cost.Y.Min = 0
	addLine(cost, "CPU µs", blue, pts, func(p point) float64 { return p.cpuPerRRset() })
	addLine(cost, "peak RSS KiB", orange, pts, func(p point) float64 { return p.rssPerRRset() })

	const w, h = 15 * vg.Inch, 5 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	t := draw.Tiles{Rows: 1, Cols: 3, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	plots := [][]*plot.Plot{{rate, mem, cost}}
	canvases := plot.Align(plots, t, dc)
	for i, p := range plots[0] {
		p.Draw(canvases[0][i])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func panel(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "zone size (RRsets)"
	p.Y.Label.Text = ylabel
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.YOffs = vg.Millimeter * 2
	p.Add(plotter.NewGrid())
	return p
}

func addLine(p *plot.Plot, name string, c color.Color, pts []point, y func(point) float64) {
	xys := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		xys[i] = plotter.XY{X: float64(pt.RRsets), Y: y(pt)}
	}
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return
	}
	l.Color, s.Color = c, c
	p.Add(l, s)
	p.Legend.Add(name, l, s)
}
