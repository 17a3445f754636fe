package dev.roster.mail;

import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders mail bodies from {@code templates/mail/<name>.html} and {@code templates/mail/<name>.txt}. Mail has its own
 * template engines so that the text bodies are rendered in TEXT mode (no HTML escaping, no markup) and nothing here
 * changes how web pages are resolved.
 */
@Component
public class MailTemplates {

    private final SpringTemplateEngine html = engine(".html", TemplateMode.HTML);
    private final SpringTemplateEngine text = engine(".txt", TemplateMode.TEXT);

    public MailContent render(String name, Map<String, ?> variables) {
        @SuppressWarnings("unchecked")
        Context context = new Context(Locale.ENGLISH, (Map<String, Object>) variables);
        return new MailContent(text.process(name, context), html.process(name, context));
    }

    private static SpringTemplateEngine engine(String suffix, TemplateMode mode) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
        resolver.setPrefix("templates/mail/");
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        resolver.setCheckExistence(true);
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }
}
