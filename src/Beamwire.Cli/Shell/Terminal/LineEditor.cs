using System.Text;

namespace Beamwire.Cli.Shell.Terminal;

/// <summary>
/// A small readline for the shell: cursor movement (←/→, Home/End, Ctrl-A/E/B/F), deletion
/// (Backspace, Delete, Ctrl-D, Ctrl-K/U/W), history (↑/↓, Ctrl-P/N), Tab completion (the common prefix,
/// then the list on a second Tab), Ctrl-L to clear, Ctrl-C to drop the line (twice on an empty line to
/// leave), Ctrl-D on an empty line to leave. It redraws the line with ANSI sequences.
/// </summary>
internal sealed class LineEditor(History history, Completion completion) : ILineReader
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _buffer = new();
    private string _prompt = "";
    private int _cursor;
    private bool _editing;

    // The screen row (relative to the prompt's first row) the terminal cursor is on after the last
    // redraw: a line longer than the terminal wraps, and the next redraw must start from its top.
    private int _cursorRow;

    private bool _treatCtrlC;

    public string? ReadLine(string prompt)
    {
        var treatCtrlC = _treatCtrlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            lock (_gate)
            {
                _prompt = prompt;
                _buffer.Clear();
                _cursor = 0;
                _cursorRow = 0;
                _editing = true;
                Redraw();
            }

            return Edit();
        }
        finally
        {
            lock (_gate) _editing = false;
            Console.TreatControlCAsInput = treatCtrlC;
        }
    }

    private string? Edit()
    {
        var historyIndex = history.Count;
        var saved = "";
        var lastWasTab = false;
        var ctrlCOnEmpty = false;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            var tab = key.Key == ConsoleKey.Tab;
            lock (_gate)
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        var line = _buffer.ToString();
                        _cursor = _buffer.Length;
                        Redraw();
                        // Ctrl-C is a signal again before the cursor leaves the line: a Ctrl-C typed once
                        // the line is seen entered interrupts its evaluation, never lands in the next line.
                        Console.TreatControlCAsInput = _treatCtrlC;
                        Console.Out.Write("\r\n");
                        Console.Out.Flush();
                        history.Add(line.Trim());
                        return line;
                    case ConsoleKey.LeftArrow: Move(-1); break;
                    case ConsoleKey.RightArrow: Move(1); break;
                    case ConsoleKey.Home: _cursor = 0; Redraw(); break;
                    case ConsoleKey.End: _cursor = _buffer.Length; Redraw(); break;
                    case ConsoleKey.Backspace: Backspace(); break;
                    case ConsoleKey.Delete: Delete(); break;
                    case ConsoleKey.UpArrow: Recall(-1, ref historyIndex, ref saved); break;
                    case ConsoleKey.DownArrow: Recall(1, ref historyIndex, ref saved); break;
                    case ConsoleKey.Tab: Complete(lastWasTab); break;
                    default:
                        var c = key.KeyChar;
                        if (c == '\x03')
                        {
                            if (_buffer.Length == 0 && ctrlCOnEmpty) return null;
                            ctrlCOnEmpty = _buffer.Length == 0;
                            _cursor = _buffer.Length;
                            Redraw();
                            Console.Out.Write(_buffer.Length == 0 ? "^C (Ctrl-C again or Ctrl-D to exit)\r\n" : "^C\r\n");
                            _buffer.Clear();
                            _cursor = 0;
                            _cursorRow = 0;
                            Redraw();
                            continue;
                        }

                        if (!Control(c, ref historyIndex, ref saved, out var eof))
                        {
                            if (!char.IsControl(c)) Insert(c);
                        }
                        else if (eof)
                        {
                            Console.Out.Write("\r\n");
                            return null;
                        }

                        break;
                }

                ctrlCOnEmpty = false;
            }

            lastWasTab = tab;
        }
    }

    /// <summary>Ctrl-key editing commands; true when <paramref name="c"/> was one.</summary>
    private bool Control(char c, ref int historyIndex, ref string saved, out bool eof)
    {
        eof = false;
        switch (c)
        {
            case '\x01': _cursor = 0; Redraw(); return true;
            case '\x05': _cursor = _buffer.Length; Redraw(); return true;
            case '\x02': Move(-1); return true;
            case '\x06': Move(1); return true;
            case '\x04':
                if (_buffer.Length == 0) eof = true;
                else Delete();
                return true;
            case '\x0b': _buffer.Remove(_cursor, _buffer.Length - _cursor); Redraw(); return true;
            case '\x15': _buffer.Remove(0, _cursor); _cursor = 0; Redraw(); return true;
            case '\x17':
                var start = _cursor;
                while (start > 0 && _buffer[start - 1] == ' ') start--;
                while (start > 0 && _buffer[start - 1] != ' ') start--;
                _buffer.Remove(start, _cursor - start);
                _cursor = start;
                Redraw();
                return true;
            case '\x0c': Console.Out.Write("\x1b[H\x1b[2J"); _cursorRow = 0; Redraw(); return true;
            case '\x10': Recall(-1, ref historyIndex, ref saved); return true;
            case '\x0e': Recall(1, ref historyIndex, ref saved); return true;
            default: return false;
        }
    }

    private void Insert(char c)
    {
        _buffer.Insert(_cursor, c);
        _cursor++;
        Redraw();
    }

    private void Move(int by)
    {
        _cursor = Math.Clamp(_cursor + by, 0, _buffer.Length);
        Redraw();
    }

    private void Backspace()
    {
        if (_cursor == 0) return;
        _buffer.Remove(--_cursor, 1);
        Redraw();
    }

    private void Delete()
    {
        if (_cursor >= _buffer.Length) return;
        _buffer.Remove(_cursor, 1);
        Redraw();
    }

    private void Recall(int direction, ref int index, ref string saved)
    {
        var next = index + direction;
        if (next < 0 || next > history.Count) return;
        if (index == history.Count) saved = _buffer.ToString();
        index = next;
        _buffer.Clear().Append(index == history.Count ? saved : history[index]);
        _cursor = _buffer.Length;
        Redraw();
    }

    private void Complete(bool listAll)
    {
        var line = _buffer.ToString();
        var (start, candidates) = completion.Complete(line, _cursor);
        if (candidates.Count == 0) return;
        var word = line[start.._cursor];
        var prefix = candidates.Count == 1 ? candidates[0] : Completion.CommonPrefix(candidates);
        if (prefix.Length > word.Length)
        {
            _buffer.Remove(start, _cursor - start).Insert(start, prefix);
            _cursor = start + prefix.Length;
            Redraw();
            return;
        }

        if (listAll && candidates.Count > 1)
        {
            var cursor = _cursor;
            _cursor = _buffer.Length;
            Redraw();
            Console.Out.Write("\r\n" + string.Join("  ", candidates) + "\r\n");
            _cursor = cursor;
            _cursorRow = 0;
            Redraw();
        }
    }

    private void Redraw()
    {
        var width = TerminalWidth();
        var sb = new StringBuilder();
        if (_cursorRow > 0) sb.Append("\x1b[").Append(_cursorRow).Append('A');
        sb.Append('\r').Append(_prompt).Append(_buffer).Append("\x1b[J");
        var end = _prompt.Length + _buffer.Length;
        // At an exact multiple of the width the terminal holds the cursor at the last column
        // (deferred wrap): a space and a carriage return put it at the start of the next row.
        if (end > 0 && end % width == 0) sb.Append(" \r");
        var endRow = end / width;
        var target = _prompt.Length + _cursor;
        var targetRow = target / width;
        if (endRow > targetRow) sb.Append("\x1b[").Append(endRow - targetRow).Append('A');
        sb.Append('\r');
        if (target % width > 0) sb.Append("\x1b[").Append(target % width).Append('C');
        _cursorRow = targetRow;
        Console.Out.Write(sb.ToString());
        Console.Out.Flush();
    }

    private static int TerminalWidth()
    {
        try
        {
            var w = Console.WindowWidth;
            return w > 0 ? w : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    public void WriteAbove(string text)
    {
        lock (_gate)
        {
            if (!_editing)
            {
                Console.Out.Write(text.ReplaceLineEndings("\r\n") + "\r\n");
                Console.Out.Flush();
                return;
            }

            if (_cursorRow > 0) Console.Out.Write("\x1b[" + _cursorRow + "A");
            Console.Out.Write("\r\x1b[J" + text.ReplaceLineEndings("\r\n") + "\r\n");
            _cursorRow = 0;
            Redraw();
        }
    }

    public void WriteLine(string text) => WriteAbove(text);
}
