package org.kdump4j.cli;

import java.util.List;
import java.util.Map;
import org.kdump4j.internal.text.Columns;

/**
 * A minimal JSON writer for CLI output (no dependencies): maps become objects (insertion order kept),
 * lists and arrays become arrays, strings are escaped, numbers and booleans are written as they are.
 */
final class Json {
    private Json() {
    }

    /** Renders {@code value} as pretty-printed JSON with two-space indentation. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    indent(sb, depth + 1);
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), depth + 1);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                indent(sb, depth);
                sb.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    indent(sb, depth + 1);
                    write(sb, l.get(i), depth + 1);
                    sb.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                indent(sb, depth);
                sb.append(']');
            }
            default -> string(sb, v.toString());
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.repeat("  ", depth);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        Columns.zeroPaddedHex(sb.append("\\u"), c, 4);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Formats an unsigned 64-bit value as a {@code 0x}-prefixed lowercase hex string. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A JSON array value built from the given elements. */
    static List<Object> array(List<?> elements) {
        return List.copyOf(elements);
    }
}
