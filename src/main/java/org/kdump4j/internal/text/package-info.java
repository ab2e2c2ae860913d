/**
 * Small hand-written text helpers for the output of {@code kdump4j info} and {@code dmesg}: column
 * padding, zero-padded hexadecimal and decimal numbers, and UTC times as {@link java.time.Instant#toString()}
 * prints them. Not exported. They exist for start-up time: {@link java.util.Formatter},
 * {@link java.time.format.DateTimeFormatter} and {@link java.util.regex.Pattern} load locale data,
 * resource bundles and dozens of classes that a short command would pay for on every run.
 */
package org.kdump4j.internal.text;
