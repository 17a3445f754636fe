package dev.roster.sso.access;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

import org.springframework.stereotype.Component;

/** TXT look-ups through the JDK's DNS provider (JNDI), with the resolvers of the operating system. */
@Component
class JndiDnsTxtResolver implements DnsTxtResolver {

    @Override
    public List<String> txtRecords(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<String> records = new ArrayList<>();
        try {
            InitialDirContext context = new InitialDirContext(env);
            try {
                Attributes attributes = context.getAttributes(name, new String[] {"TXT"});
                Attribute txt = attributes.get("TXT");
                if (txt != null) {
                    NamingEnumeration<?> values = txt.getAll();
                    while (values.hasMore()) {
                        records.add(unquote(String.valueOf(values.next())));
                    }
                }
            }
            finally {
                context.close();
            }
        }
        catch (NameNotFoundException ex) {
            return List.of();
        }
        catch (NamingException ex) {
            throw new IllegalStateException("DNS look-up of " + name + " failed: " + ex.getMessage(), ex);
        }
        return records;
    }

    // A TXT record of several strings arrives as "part one" "part two"; they form one value.
    private static String unquote(String raw) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (char c : raw.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            else if (quoted || c != ' ') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
