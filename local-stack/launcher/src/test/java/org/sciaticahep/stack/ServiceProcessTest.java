package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service JVMs get the native heap trim only from a JDK that has it: any other refuses to start with it. */
class ServiceProcessTest {

    @ParameterizedTest
    @CsvSource({
            "17.0.8, false",
            "17.0.9, true",
            "17.0.15, true",
            "18.0.2, false",
            "20.0.2, false",
            "21, false",
            "21.0.1, true",
            "22, true",
            "25.0.1, true"})
    void theTrimOnlyWhereTheJdkHasIt(String version, boolean trims) {
        Runtime.Version jdk = Runtime.Version.parse(version);
        assertEquals(trims, ServiceProcess.trimsNativeHeap(jdk), version);
        assertEquals(trims, ServiceProcess.jvmOptions(jdk).contains("-XX:TrimNativeHeapInterval=5000"), version);
        assertTrue(ServiceProcess.jvmOptions(jdk).contains(ServiceProcess.EXIT_ON_OUT_OF_MEMORY), version);
    }
}
