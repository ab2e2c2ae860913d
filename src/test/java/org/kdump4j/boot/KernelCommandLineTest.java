package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The kernel's next_arg()/parse_args() tokenizer rules. */
class KernelCommandLineTest {

    private static List<String> rendered(String line) {
        return KernelCommandLine.parse(line).parameters().stream().map(KernelParameter::toString).toList();
    }

    @Test
    @DisplayName("next_arg: white space (space, tab, newline) separates, leading and trailing runs are skipped")
    void whiteSpaceSeparates() {
        assertEquals(List.of("console=ttyS0", "quiet", "loglevel=7"), rendered("  console=ttyS0\tquiet \n loglevel=7\n"));
    }

    @Test
    @DisplayName("next_arg: name ends at the first '=', the value keeps later '=' signs")
    void valueKeepsLaterEquals() {
        KernelParameter p = KernelCommandLine.parse("root=UUID=abc").parameters().getFirst();
        assertEquals("root", p.name());
        assertEquals(Optional.of("UUID=abc"), p.value());
    }

    @Test
    @DisplayName("next_arg: a quoted value may contain spaces; the value's quotes are removed")
    void quotedValueKeepsSpaces() {
        KernelParameter p = KernelCommandLine.parse("dyndbg=\"file a.c +p\" quiet").parameters().getFirst();
        assertEquals("dyndbg", p.name());
        assertEquals(Optional.of("file a.c +p"), p.value());
        assertEquals(0, p.start());
        assertEquals(20, p.end());
    }

    @Test
    @DisplayName("next_arg: a token starting with a quote loses it and its closing quote (\"a=b c\")")
    void quotedWholeToken() {
        KernelParameter p = KernelCommandLine.parse("\"a=b c\" d").parameters().getFirst();
        assertEquals("a", p.name());
        assertEquals(Optional.of("b c"), p.value());
        assertEquals(List.of("a=b c", "d"), rendered("\"a=b c\" d"));
    }

    @Test
    @DisplayName("next_arg: quotes in the middle toggle quoting but are kept (a\"b c\"d is one token)")
    void middleQuotesAreKept() {
        assertEquals(List.of("a\"b c\"d"), rendered("a\"b c\"d"));
    }

    @Test
    @DisplayName("next_arg: an unterminated quote runs to the end of the line")
    void unterminatedQuoteRunsToEnd() {
        assertEquals(List.of("a=b c d"), rendered("a=\"b c d"));
    }

    @Test
    @DisplayName("next_arg: '=' as the very first character is not the separator (kernel uses 0 as 'none')")
    void leadingEqualsIsNotTheSeparator() {
        KernelParameter p = KernelCommandLine.parse("=foo=bar").parameters().getFirst();
        assertEquals("=foo", p.name());
        assertEquals(Optional.of("bar"), p.value());
        assertEquals(Optional.empty(), KernelCommandLine.parse("=x").parameters().getFirst().value());
    }

    @Test
    @DisplayName("parse_args: the first bare -- ends kernel parameters, the rest goes to init")
    void doubleDashStartsInitArguments() {
        KernelCommandLine c = KernelCommandLine.parse("quiet -- single crashkernel=1G --");
        assertEquals(List.of("quiet"), c.parameters().stream().map(KernelParameter::toString).toList());
        assertEquals(List.of("single", "crashkernel=1G", "--"), c.initArguments().stream().map(KernelParameter::toString).toList());
        assertEquals(Optional.empty(), c.last("crashkernel"));
    }

    @Test
    @DisplayName("parse_args: --=x has a value, so it does not end the parameters")
    void doubleDashWithValueIsAParameter() {
        assertTrue(KernelCommandLine.parse("--=x a").initArguments().isEmpty());
    }

    @Test
    @DisplayName("C string: a NUL ends the command line")
    void nulEnds() {
        assertEquals(List.of("a"), rendered("a\0b"));
    }

    @Test
    @DisplayName("isspace: Latin-1 no-break space (0xA0) separates, as in the kernel's ctype table")
    void noBreakSpaceSeparates() {
        assertEquals(List.of("a", "b"), rendered("a\u00a0b"));
    }

    @Test
    @DisplayName("last(): the last of several same-named parameters")
    void lastOfSeveral() {
        KernelCommandLine c = KernelCommandLine.parse("x=1 y x=2");
        assertEquals(Optional.of("2"), c.last("x").orElseThrow().value());
        assertEquals(2, c.all("x").size());
    }

    @Test
    @DisplayName("empty and blank lines have no parameters")
    void emptyLine() {
        assertTrue(KernelCommandLine.parse("").parameters().isEmpty());
        assertTrue(KernelCommandLine.parse(" \t\n").parameters().isEmpty());
    }
}
