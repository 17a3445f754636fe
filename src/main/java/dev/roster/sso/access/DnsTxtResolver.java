package dev.roster.sso.access;

import java.util.List;

/**
 * Reads DNS TXT records. The seam where tests put a double, since no DNS query leaves the test machine; the
 * application uses {@link JndiDnsTxtResolver}.
 */
public interface DnsTxtResolver {

    List<String> txtRecords(String name);
}
