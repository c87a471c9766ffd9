using System.Globalization;
using System.Net;
using System.Text;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// The figures' charts drawn on the server as plain SVG (issue 11: no front-end build, they print):
/// stacked bars of reservations per day and outcomes per week with the no-show rate, a weekday × hour
/// heat map of occupancy, bars of demand per bibliobus stop. Each has a title and a description for
/// screen readers; the page shows the same numbers in a table beside it. Pure.
/// </summary>
internal static class FiguresSvg
{
    public static readonly string[] Charts = ["reservations", "outcomes", "occupancy", "stopDemand"];

    const int Width = 720, Height = 300, Left = 48, Right = 56, Top = 36, Bottom = 44;
    // Okabe–Ito colours: told apart with the common colour-vision deficiencies, and in greyscale print by their order.
    static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

    public static string Render(FiguresResponse f, string chart, bool english) => chart switch
    {
        "reservations" => Reservations(f, english),
        "outcomes" => Outcomes(f, english),
        "occupancy" => Occupancy(f, english),
        _ => StopDemand(f, english),
    };

    static string T(bool english, string fr, string en) => english ? en : fr;

    static string Reservations(FiguresResponse f, bool en)
    {
        string[] names = [T(en, "Web", "Web"), T(en, "Téléphone", "Phone"), "SMS", T(en, "Sélection", "Selection")];
        var bars = f.ReservationsPerDay.Select(d => (Label: d.Date.ToString("dd/MM", CultureInfo.InvariantCulture),
            Values: new[] { d.Web, d.Phone, d.Sms, d.Selection })).ToList();
        var svg = Begin(T(en, "Réservations par jour et par canal", "Reservations per day by channel"),
            T(en, $"{f.Holds.Total} réservations du {f.From:dd/MM/yyyy} au {f.To:dd/MM/yyyy}",
                $"{f.Holds.Total} reservations from {f.From:yyyy-MM-dd} to {f.To:yyyy-MM-dd}"));
        StackedBars(svg, bars, names, null);
        return End(svg);
    }

    static string Outcomes(FiguresResponse f, bool en)
    {
        string[] names = [T(en, "Honorés", "Completed"), T(en, "Absents", "No-show"), T(en, "Annulés", "Cancelled"), T(en, "À venir", "Pending")];
        var bars = f.OutcomesPerWeek.Select(w => (Label: w.WeekStart.ToString("dd/MM", CultureInfo.InvariantCulture),
            Values: new[] { w.Completed, w.NoShow, w.Cancelled, w.Booked - w.Completed - w.NoShow - w.Cancelled })).ToList();
        var svg = Begin(T(en, "Rendez-vous par semaine et taux d'absence", "Appointments per week and no-show rate"),
            T(en, $"{f.Appointments.Booked} rendez-vous, taux d'absence {f.Appointments.NoShowRate:P0}",
                $"{f.Appointments.Booked} appointments, no-show rate {f.Appointments.NoShowRate:P0}"));
        StackedBars(svg, bars, names, (f.OutcomesPerWeek.Select(w => w.NoShowRate).ToList(), T(en, "Taux d'absence", "No-show rate")));
        return End(svg);
    }

    static string Occupancy(FiguresResponse f, bool en)
    {
        string[] days = en ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];
        var cells = f.Occupancy.GroupBy(o => (o.Weekday, o.Hour))
            .ToDictionary(g => g.Key, g => (Capacity: g.Sum(o => o.Capacity), Booked: g.Sum(o => o.Booked)));
        var svg = Begin(T(en, "Occupation des créneaux (réservés / places)", "Slot occupancy (booked / capacity)"),
            T(en, "Par jour de la semaine et par heure ; plus foncé = plus rempli", "By weekday and hour; darker = fuller"));
        if (cells.Count == 0) return End(Empty(svg, en));
        var weekdays = cells.Keys.Select(k => k.Weekday).Distinct().Order().ToList();
        var hours = Enumerable.Range(cells.Keys.Min(k => k.Hour), cells.Keys.Max(k => k.Hour) - cells.Keys.Min(k => k.Hour) + 1).ToList();
        double cellW = (Width - Left - 16) / (double)hours.Count, cellH = (Height - Top - Bottom) / (double)weekdays.Count;
        for (var r = 0; r < weekdays.Count; r++)
        {
            var y = Top + r * cellH;
            Text(svg, Left - 6, y + cellH / 2 + 4, days[weekdays[r] - 1], "end");
            for (var c = 0; c < hours.Count; c++)
            {
                var x = Left + c * cellW;
                if (!cells.TryGetValue((weekdays[r], hours[c]), out var cell) || cell.Capacity == 0 && cell.Booked == 0)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{cellW - 2:0.#}\" height=\"{cellH - 2:0.#}\" fill=\"#f3f3f3\"/>");
                    continue;
                }
                var rate = cell.Capacity == 0 ? 1 : Math.Min(1, cell.Booked / (double)cell.Capacity);
                var fill = Shade(rate);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{cellW - 2:0.#}\" height=\"{cellH - 2:0.#}\" fill=\"{fill}\"><title>{days[weekdays[r] - 1]} {hours[c]}h : {cell.Booked} / {cell.Capacity}</title></rect>");
                Text(svg, x + (cellW - 2) / 2, y + cellH / 2 + 4, $"{cell.Booked}/{cell.Capacity}", "middle", rate > 0.55 ? "#fff" : "#111", 10);
            }
        }
        for (var c = 0; c < hours.Count; c++) Text(svg, Left + c * cellW + cellW / 2, Height - Bottom + 16, $"{hours[c]}h", "middle");
        return End(svg);
    }

    static string StopDemand(FiguresResponse f, bool en)
    {
        string[] names = [T(en, "Réservations", "Holds"), T(en, "Rendez-vous", "Appointments")];
        var svg = Begin(T(en, "Demande par arrêt du bibliobus", "Demand per bibliobus stop"),
            T(en, "Réservations et rendez-vous demandés à chaque arrêt, dans l'ordre de la tournée", "Holds and appointments asked for at each stop, in route order"));
        if (f.StopDemand.Count == 0) return End(Empty(svg, en));
        var max = Math.Max(1, f.StopDemand.Max(s => Math.Max(s.Holds, s.Appointments)));
        const int labelWidth = 190;
        double rowH = (Height - Top - Bottom) / (double)f.StopDemand.Count, plot = Width - labelWidth - Right;
        for (var i = 0; i < f.StopDemand.Count; i++)
        {
            var s = f.StopDemand[i];
            var y = Top + i * rowH;
            Text(svg, labelWidth - 8, y + rowH / 2 + 4, Shorten(s.Name, 28), "end");
            int[] values = [s.Holds, s.Appointments];
            for (var k = 0; k < 2; k++)
            {
                var barY = y + 4 + k * (rowH - 8) / 2;
                var w = values[k] / (double)max * plot;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{labelWidth}\" y=\"{barY:0.#}\" width=\"{w:0.#}\" height=\"{(rowH - 8) / 2 - 2:0.#}\" fill=\"{Palette[k]}\"><title>{Escape(s.Name)} – {names[k]} : {values[k]}</title></rect>");
                Text(svg, labelWidth + w + 4, barY + (rowH - 8) / 4 + 3, values[k].ToString(CultureInfo.InvariantCulture), "start", "#111", 10);
            }
        }
        Legend(svg, names);
        return End(svg);
    }

    static void StackedBars(StringBuilder svg, List<(string Label, int[] Values)> bars, string[] names, (List<double> Rates, string Name)? line)
    {
        if (bars.Count == 0) { Empty(svg, false); return; }
        var max = NiceMax(Math.Max(1, bars.Max(b => b.Values.Sum())));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom, slot = plotW / bars.Count, barW = Math.Max(2, slot * 0.7);
        for (var g = 0; g <= 4; g++)
        {
            var y = Top + plotH - g * plotH / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
            Text(svg, Left - 6, y + 4, (max * g / 4).ToString(CultureInfo.InvariantCulture), "end");
        }
        var every = Math.Max(1, (int)Math.Ceiling(bars.Count / 12.0));
        for (var i = 0; i < bars.Count; i++)
        {
            var x = Left + i * slot + (slot - barW) / 2;
            var bottom = Top + plotH;
            for (var k = 0; k < bars[i].Values.Length; k++)
            {
                var h = bars[i].Values[k] / (double)max * plotH;
                if (h <= 0) continue;
                bottom -= h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0.#}\" y=\"{bottom:0.#}\" width=\"{barW:0.#}\" height=\"{h:0.#}\" fill=\"{Palette[k]}\"><title>{bars[i].Label} – {names[k]} : {bars[i].Values[k]}</title></rect>");
            }
            if (i % every == 0) Text(svg, x + barW / 2, Top + plotH + 16, bars[i].Label, "middle");
        }
        if (line is { } l && l.Rates.Count == bars.Count)
        {
            var points = string.Join(' ', l.Rates.Select((r, i) =>
                string.Create(CultureInfo.InvariantCulture, $"{Left + i * slot + slot / 2:0.#},{Top + plotH - r * plotH:0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>");
            for (var g = 0; g <= 4; g++)
                Text(svg, Width - Right + 6, Top + plotH - g * plotH / 4 + 4, $"{g * 25} %", "start");
            names = [.. names, l.Name];
        }
        Legend(svg, names, line is not null);
    }

    static void Legend(StringBuilder svg, string[] names, bool lastIsLine = false)
    {
        double x = Left;
        for (var k = 0; k < names.Length; k++)
        {
            if (lastIsLine && k == names.Length - 1)
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" x2=\"{x + 14:0.#}\" y1=\"16\" y2=\"16\" stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>");
            else
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"10\" width=\"12\" height=\"12\" fill=\"{Palette[k]}\"/>");
            Text(svg, x + 18, 20, names[k], "start");
            x += 30 + names[k].Length * 6.5;
        }
    }

    static StringBuilder Begin(string title, string description)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">");
        svg.Append($"<title id=\"t\">{Escape(title)}</title><desc id=\"d\">{Escape(description)}</desc>");
        svg.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        return svg;
    }

    static StringBuilder Empty(StringBuilder svg, bool en)
    {
        Text(svg, Width / 2.0, Height / 2.0, en ? "Nothing in this period" : "Rien sur cette période", "middle");
        return svg;
    }

    static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    static void Text(StringBuilder svg, double x, double y, string text, string anchor, string fill = "#333", int size = 11) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" fill=\"{fill}\" font-size=\"{size}\">{Escape(text)}</text>");

    /// <summary>White (empty) to dark blue (full).</summary>
    static string Shade(double rate)
    {
        static int Mix(int from, int to, double t) => (int)Math.Round(from + (to - from) * t);
        return $"#{Mix(0xEE, 0x08, rate):X2}{Mix(0xF4, 0x30, rate):X2}{Mix(0xFB, 0x6B, rate):X2}";
    }

    static int NiceMax(int max)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var m in new[] { 1, 2, 4, 5, 8, 10 })
            if (m * step >= max) return Math.Max(4, (int)(Math.Ceiling(m * step / 4) * 4));
        return max;
    }

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
