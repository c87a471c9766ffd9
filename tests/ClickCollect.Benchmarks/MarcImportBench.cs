using System.Diagnostics;
using System.Text;
using ClickCollect.Api;
using ClickCollect.Api.Features.Catalogue.Marc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>
/// A generated MARC 21 file of <c>records</c> records (ISO 2709, UTF-8, one 852 copy each) imported by
/// <see cref="MarcImport"/> on a temporary SQLite file, as <c>make import-catalogue</c> does (issue 12,
/// item 6). The baseline is the same file only read (<see cref="MarcImport.Read"/>), timed in the same
/// run. Memory: the managed heap sampled after each batch, at a quarter of the file and at the end, and
/// the process's peak resident set; a streaming import keeps the heap flat whatever the file's size.
/// </summary>
internal static class MarcImportBench
{
    public static async Task RunAsync(int records)
    {
        var folder = Directory.CreateTempSubdirectory("clickcollect-marc-bench-").FullName;
        var path = Path.Combine(folder, "catalogue.mrc");
        var write = Stopwatch.StartNew();
        await using (var file = File.Create(path)) Generate(file, records);
        var size = new FileInfo(path).Length;
        Console.WriteLine();
        Console.WriteLine($"MARC import: {records:N0} generated MARC 21 records (one 852 copy each), {size / 1024.0 / 1024.0:F0} MiB, written in "
            + $"{write.Elapsed.TotalSeconds:F1} s; SQLite, batches of 500 records.");
        Console.WriteLine();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:ClickCollect"] = $"Data Source={folder}/bench.db";
        builder.Configuration["Demo:Seed"] = "true";
        builder.Configuration["Demo:History"] = "false";
        builder.Configuration["DataProtection:KeysDirectory"] = Path.Combine(folder, "keys");
        builder.Logging.ClearProviders();
        builder.AddClickCollect();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();
        var import = app.Services.GetRequiredService<MarcImport>();

        // Baseline: reading and parsing the file, nothing written.
        GC.Collect();
        var read = Stopwatch.StartNew();
        var parsed = 0;
        await using (var stream = File.OpenRead(path))
            await foreach (var entry in MarcImport.Read(stream, MarcFileFormat.Marc21, default))
                if (entry.Record is not null) parsed++;
        var readSeconds = read.Elapsed.TotalSeconds;

        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        long heapPeak = 0, heapAtQuarter = 0;
        var watch = Stopwatch.StartNew();
        CatalogueImportReport report;
        await using (var stream = File.OpenRead(path))
        {
            report = await import.ImportAsync(stream, MarcFileFormat.Marc21, done =>
            {
                var heap = GC.GetTotalMemory(false);
                heapPeak = Math.Max(heapPeak, heap);
                if (heapAtQuarter == 0 && done >= records / 4) heapAtQuarter = heapPeak;
            }, default);
        }
        var importSeconds = watch.Elapsed.TotalSeconds;
        if (report.Read != records || report.TitlesCreated + report.RecordsRejected != records)
            throw new InvalidOperationException($"Imported {report.TitlesCreated} of {records} records ({report.RecordsRejected} refused).");

        Console.WriteLine("| measured                                  |      value |");
        Console.WriteLine("|-------------------------------------------|-----------:|");
        Console.WriteLine($"| read only (baseline), records/s           | {parsed / readSeconds,10:N0} |");
        Console.WriteLine($"| import (read, map, write), records/s      | {records / importSeconds,10:N0} |");
        Console.WriteLine($"| import / read-only time                   | {importSeconds / readSeconds,9:F1}× |");
        Console.WriteLine($"| import time, s                            | {importSeconds,10:F1} |");
        Console.WriteLine($"| managed heap before, MiB                  | {heapBefore / 1048576.0,10:F0} |");
        Console.WriteLine($"| managed heap peak at 1/4 of the file, MiB | {heapAtQuarter / 1048576.0,10:F0} |");
        Console.WriteLine($"| managed heap peak over the file, MiB      | {heapPeak / 1048576.0,10:F0} |");
        Console.WriteLine($"| process peak resident set, MiB            | {PeakResidentMiB(),10:F0} |");
        Console.WriteLine();
        Console.WriteLine($"Created {report.TitlesCreated:N0} titles and {report.CopiesCreated:N0} copies; the file is {size / 1048576.0:F0} MiB, "
            + $"so a flat heap (peak over the file close to the peak at a quarter) means the file was never held whole.");
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>VmHWM from /proc (Linux), else the working set's peak as .NET sees it.</summary>
    static double PeakResidentMiB()
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    static readonly string[] Words = ["jardin", "nuit", "mer", "ville", "voyage", "silence", "lumière", "hiver", "forêt", "mémoire", "rivière", "étoile"];
    static readonly string[] Names = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"];
    static readonly string[] Subjects = ["Romans", "Histoire", "Poésie", "Sciences", "Voyages", "Cuisine", "Policiers", "Biographies"];
    static readonly string[] Branches = ["CENTRALE", "PRES"];

    /// <summary>Writes ISO 2709 records one at a time (the file is never built in memory either).</summary>
    static void Generate(Stream output, int records)
    {
        var random = new Random(2020);
        using var buffered = new BufferedStream(output, 1 << 16);
        for (var i = 1; i <= records; i++)
        {
            string Word() => Words[random.Next(Words.Length)];
            var title = $"{char.ToUpperInvariant(Word()[0])}{Word()[1..]} et {Word()} {i}";
            var author = $"{Names[random.Next(Names.Length)]}, {Names[random.Next(Names.Length)]}";
            var year = 1950 + random.Next(75);
            var fields = new List<(string Tag, string Data)>
            {
                ("001", $"BENCH{i:D7}"),
                ("008", $"260101s{year}    fr {new string(' ', 17)}fre d"), // 35–37: language
                ("100", $"1 \u001Fa{author}"),
                ("245", $"10\u001Fa{title} /\u001Fc{author}."),
                ("264", $" 1\u001FaParis :\u001FbÉditions du banc,\u001Fc{year}."),
                ("650", $" 7\u001Fa{Subjects[random.Next(Subjects.Length)]}"),
                ("852", $"  \u001Fb{Branches[i % Branches.Length]}\u001FcRomans\u001FhR {author[..3].ToUpperInvariant()}\u001FpB{i:D9}"),
            };
            WriteRecord(buffered, fields);
        }
    }

    static void WriteRecord(Stream output, List<(string Tag, string Data)> fields)
    {
        var utf8 = Encoding.UTF8;
        var bodies = fields.Select(f => utf8.GetBytes(f.Data + "\u001E")).ToList();
        var directory = new StringBuilder();
        var offset = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            directory.Append(fields[i].Tag).Append(bodies[i].Length.ToString("D4")).Append(offset.ToString("D5"));
            offset += bodies[i].Length;
        }
        directory.Append('\u001E');
        var baseAddress = 24 + directory.Length;
        var length = baseAddress + offset + 1;
        var leader = $"{length:D5}nam a22{baseAddress:D5}   4500";
        output.Write(Encoding.ASCII.GetBytes(leader + directory));
        foreach (var body in bodies) output.Write(body);
        output.WriteByte(0x1D);
    }
}
