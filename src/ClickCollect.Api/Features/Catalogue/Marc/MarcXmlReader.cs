using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;

namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>
/// Reads MARCXML (the MARC 21 slim schema, http://www.loc.gov/standards/marcxml/) one record at a time
/// with an <see cref="XmlReader"/>: a <c>collection</c> of any size, or a single <c>record</c>. The
/// namespace may be the slim one or none (some exports drop it). A record without a readable leader or
/// with a malformed tag is reported with its line and skipped; XML that is not well formed stops the
/// reading at the faulty line (what came before is kept), since nothing after it can be trusted.
/// </summary>
internal static class MarcXmlReader
{
    const string Slim = "http://www.loc.gov/MARC21/slim";

    public static async IAsyncEnumerable<MarcEntry> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
        };
        using var xml = XmlReader.Create(stream, settings);
        var lines = (IXmlLineInfo)xml;
        var number = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            MarcEntry? entry = null;
            string? fatal = null;
            var done = false;
            try
            {
                if (!await NextRecordAsync(xml)) done = true;
                else entry = await ReadRecordAsync(xml, ++number, $"ligne {lines.LineNumber}", lines);
            }
            catch (XmlException e)
            {
                fatal = $"XML mal formé ligne {e.LineNumber}, colonne {e.LinePosition} : {e.Message} Lecture arrêtée ; les notices précédentes sont importées.";
            }
            if (done) yield break;
            if (fatal is not null)
            {
                yield return new MarcEntry(number == 0 ? 1 : number, $"ligne {lines.LineNumber}", null, fatal);
                yield break;
            }
            yield return entry!;
        }
    }

    static bool IsMarc(XmlReader xml, string name) =>
        xml.NodeType == XmlNodeType.Element && xml.LocalName == name && (xml.NamespaceURI == Slim || xml.NamespaceURI.Length == 0);

    static async Task<bool> NextRecordAsync(XmlReader xml)
    {
        while (true)
        {
            if (IsMarc(xml, "record")) return true;
            if (!await xml.ReadAsync()) return false;
        }
    }

    /// <summary>Reads the record the reader is on and leaves the reader just after it.</summary>
    static async Task<MarcEntry> ReadRecordAsync(XmlReader xml, int number, string position, IXmlLineInfo lines)
    {
        string? leader = null;
        string? fault = null;
        var fields = new List<MarcField>();
        if (xml.IsEmptyElement)
        {
            await xml.ReadAsync();
            return new MarcEntry(number, position, null, "Notice vide.");
        }
        var depth = xml.Depth;
        await xml.ReadAsync();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (IsMarc(xml, "leader"))
            {
                leader = (await xml.ReadElementContentAsStringAsync()).Replace('#', ' ');
                continue;
            }
            if (IsMarc(xml, "controlfield"))
            {
                var tag = xml.GetAttribute("tag") ?? "";
                var value = Clean(await xml.ReadElementContentAsStringAsync());
                if (!ValidTag(tag)) fault ??= $"Champ de contrôle ligne {lines.LineNumber} : étiquette « {tag} » invalide.";
                else fields.Add(new MarcField(tag, value: value));
                continue;
            }
            if (IsMarc(xml, "datafield"))
            {
                var tag = xml.GetAttribute("tag") ?? "";
                var ind1 = Indicator(xml.GetAttribute("ind1"));
                var ind2 = Indicator(xml.GetAttribute("ind2"));
                var subfields = await ReadSubfieldsAsync(xml);
                if (!ValidTag(tag)) fault ??= $"Champ ligne {lines.LineNumber} : étiquette « {tag} » invalide.";
                else fields.Add(new MarcField(tag, ind1, ind2, subfields: subfields));
                continue;
            }
            if (!await xml.ReadAsync()) break;
        }
        await xml.ReadAsync(); // past </record>
        if (leader is null || leader.Length != 24) fault ??= "Guide (leader) absent ou de longueur différente de 24 caractères.";
        return fault is null ? new MarcEntry(number, position, new MarcRecord(leader!, fields), null) : new MarcEntry(number, position, null, fault);
    }

    static async Task<List<MarcSubfield>> ReadSubfieldsAsync(XmlReader xml)
    {
        var subfields = new List<MarcSubfield>();
        if (xml.IsEmptyElement)
        {
            await xml.ReadAsync();
            return subfields;
        }
        var depth = xml.Depth;
        await xml.ReadAsync();
        while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (IsMarc(xml, "subfield"))
            {
                var code = xml.GetAttribute("code");
                var value = Clean(await xml.ReadElementContentAsStringAsync());
                if (code is { Length: 1 }) subfields.Add(new MarcSubfield(code[0], value));
                continue;
            }
            if (!await xml.ReadAsync()) break;
        }
        await xml.ReadAsync(); // past </datafield>
        return subfields;
    }

    static char Indicator(string? value) => value is { Length: 1 } ? value[0] : ' ';

    static bool ValidTag(string tag) => tag.Length == 3 && tag.All(char.IsAsciiLetterOrDigit);

    static string Clean(string value) => value.Normalize(NormalizationForm.FormC);
}
