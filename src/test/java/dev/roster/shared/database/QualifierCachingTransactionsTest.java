package dev.roster.shared.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;
import org.springframework.transaction.interceptor.TransactionInterceptor;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.test.RosterIntegrationTest;

/**
 * {@code @Transactional} runs through the interceptor that remembers each class's qualifier (issue 15), and it picks
 * the transaction manager the framework's own would: the default one, or the one a class's {@code @Qualifier} names.
 */
@RosterIntegrationTest
class QualifierCachingTransactionsTest {

    @Autowired
    TransactionInterceptor interceptor;

    @Test
    void theApplicationsTransactionsGoThroughTheCachingInterceptor() {
        assertThat(interceptor).isInstanceOf(QualifierCachingTransactions.Interceptor.class);
    }

    @Test
    void aClassWithoutAQualifierGetsTheDefaultManagerAndAQualifiedClassItsOwn() throws Exception {
        PlatformTransactionManager primary = mock(PlatformTransactionManager.class);
        PlatformTransactionManager other = mock(PlatformTransactionManager.class);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("primary", primary);
        beans.registerSingleton("other", other);
        QualifierCachingTransactions.Interceptor tested = new QualifierCachingTransactions.Interceptor();
        tested.setBeanFactory(beans);
        tested.setTransactionManager(primary);
        var attribute = new DefaultTransactionAttribute();
        for (int call = 0; call < 2; call++) {
            assertThat(manager(tested, attribute, Plain.class)).isSameAs(primary);
            assertThat(manager(tested, attribute, Qualified.class)).isSameAs(other);
        }
    }

    private static TransactionManager manager(QualifierCachingTransactions.Interceptor interceptor,
                                              DefaultTransactionAttribute attribute, Class<?> target) throws Exception {
        Method method = QualifierCachingTransactions.Interceptor.class.getDeclaredMethod("determineTransactionManager",
                org.springframework.transaction.interceptor.TransactionAttribute.class, Class.class);
        method.setAccessible(true);
        return (TransactionManager) method.invoke(interceptor, attribute, target);
    }

    static class Plain {
        @Transactional
        void work() {
        }
    }

    @Qualifier("other")
    static class Qualified {
        @Transactional
        void work() {
        }
    }
}
