/**
 * Every Foreign Function &amp; Memory downcall of kdump4j ({@code open}, {@code close}, {@code syscall})
 * with {@code errno} captured, and the native {@link org.kdump4j.kexec.KexecLoader}. Not exported:
 * only this package needs {@code --enable-native-access=org.kdump4j} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
package org.kdump4j.internal.linux;
