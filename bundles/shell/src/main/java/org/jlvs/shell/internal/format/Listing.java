package org.jlvs.shell.internal.format;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A jlvs listing (not an ipvsadm layout): Karaf's {@link ShellTable} for people, as bundle:list prints, and with
 * --no-format one line per row of the bare cells separated by tabs, no title, for scripts. Karaf's own no-format
 * output pads each cell to its column's width; here a cell is exactly its value, so that a script can split a
 * line on tabs and compare the fields as they are.
 */
public final class Listing {
    private final ShellTable table = new ShellTable();
    private final List<String> rows = new ArrayList<>();

    public Listing column(String name) {
        table.column(name);
        return this;
    }

    /** A column of numbers, right-aligned in the table. */
    public Listing numberColumn(String name) {
        table.column(name).alignRight();
        return this;
    }

    /** What the table shows under its title when there is no row (nothing is printed with --no-format). */
    public Listing whenEmpty(String text) {
        table.emptyTableText(text);
        return this;
    }

    public Listing row(Object... cells) {
        table.addRow().addContent(cells);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) line.append(i > 0 ? "\t" : "").append(cells[i]);
        rows.add(line.append('\n').toString());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintStream out, boolean noFormat) {
        if (noFormat) {
            for (String line : rows) out.print(line);
        } else {
            table.print(out, true);
        }
    }
}
