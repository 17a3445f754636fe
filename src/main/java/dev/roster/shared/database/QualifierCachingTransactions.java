package dev.roster.shared.database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionInterceptor;
import org.springframework.util.StringUtils;

/**
 * Gives {@code @Transactional} an interceptor that looks for a class's {@code @Qualifier} once per class instead of
 * at every call. Spring Framework 6.2's {@link TransactionInterceptor} scans the target class's annotations for a
 * type-level qualifier on each transactional call (an uncached {@link BeanFactoryAnnotationUtils#getQualifierValue}),
 * and a SCIM request makes a dozen such calls: 3 % of its CPU (docs/benchmarks.md, issue 15). The replacement asks
 * the same question and picks the same transaction manager; it only remembers the answer per class, which cannot
 * change while the application runs.
 */
@Component
class QualifierCachingTransactions implements BeanPostProcessor, BeanFactoryAware, PriorityOrdered {

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean.getClass() != TransactionInterceptor.class) {
            return bean;
        }
        TransactionInterceptor original = (TransactionInterceptor) bean;
        Interceptor replacement = new Interceptor();
        replacement.setTransactionAttributeSource(original.getTransactionAttributeSource());
        replacement.setTransactionManager(original.getTransactionManager());
        replacement.setBeanFactory(beanFactory);
        replacement.afterPropertiesSet();
        return replacement;
    }

    /** The interceptor of {@code @Transactional}, with the type-level qualifier of each class looked up once. */
    static final class Interceptor extends TransactionInterceptor {

        private final transient Map<Class<?>, Boolean> qualifiedTypes = new ConcurrentHashMap<>();

        @Override
        protected TransactionManager determineTransactionManager(TransactionAttribute attribute, Class<?> targetClass) {
            // Without a target class the superclass skips only the type-level qualifier's look-up: the attribute's
            // own qualifier, the configured manager and the default are chosen as before.
            if (attribute != null && targetClass != null && !StringUtils.hasText(attribute.getQualifier())
                    && !qualifiedTypes.computeIfAbsent(targetClass,
                            type -> StringUtils.hasText(BeanFactoryAnnotationUtils.getQualifierValue(type)))) {
                return super.determineTransactionManager(attribute, null);
            }
            return super.determineTransactionManager(attribute, targetClass);
        }
    }
}
