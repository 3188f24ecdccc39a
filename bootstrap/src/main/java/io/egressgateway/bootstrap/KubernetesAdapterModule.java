package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.application.config.Settings;

/** The Kubernetes adapter: one client per process, from --kubeconfig or the usual discovery. */
final class KubernetesAdapterModule extends AbstractModule {
    @Provides
    @Singleton
    KubernetesAdapters kubernetes(Settings settings, Main.CommonOptions options) {
        return KubernetesAdapters.connect(options.kubeconfig(), settings);
    }
}
