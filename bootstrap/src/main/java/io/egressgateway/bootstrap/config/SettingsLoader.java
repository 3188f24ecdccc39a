package io.egressgateway.bootstrap.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.application.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads configuration: {@code reference.conf} defaults, then an optional file, then {@code EGW_*}
 * environment variables, and binds the result to {@link Settings}. Every problem is found here, at
 * start, and reported together ({@link SettingsException}); nothing else reads Typesafe Config.
 */
public final class SettingsLoader {
    static final String ENV_PREFIX = "EGW_";

    private SettingsLoader() {
    }

    public static Settings load(Optional<Path> file, Map<String, String> environment) {
        return loadAll(file, environment).settings();
    }

    /**
     * The settings of both roles, the controller's webhook settings and the HTTP server's limits
     * (both roles), from one configuration.
     */
    public record Loaded(Settings settings, WebhookSettings webhook, WebhookConfig.Limits http) {
    }

    public static Loaded loadAll(Optional<Path> file, Map<String, String> environment) {
        Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config config = reference;
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isReadable(path)) {
                throw new SettingsException("configuration file " + path + " does not exist or cannot be read");
            }
            try {
                config = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                        .withFallback(config);
            } catch (ConfigException e) {
                throw new SettingsException("configuration file " + path + " is not valid: " + e.getMessage());
            }
        }
        config = environmentOverrides(reference, environment).withFallback(config).resolve();
        rejectUnknownKeys(reference, config);
        return new Loaded(SettingsBinder.bind(config), SettingsBinder.bindWebhook(config), SettingsBinder.bindHttp(config));
    }

    /** {@code EGW_HEARTBEAT_EVICTIONTIMEOUT=3s} overrides {@code heartbeat.evictionTimeout}. */
    static Config environmentOverrides(Config reference, Map<String, String> environment) {
        Map<String, String> keysByEnvName = new HashMap<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            keysByEnvName.put(envName(e.getKey()), e.getKey());
        }
        Map<String, Object> overrides = new TreeMap<>();
        for (Map.Entry<String, String> env : new TreeMap<>(environment).entrySet()) {
            String name = env.getKey().toUpperCase(Locale.ROOT);
            if (!name.startsWith(ENV_PREFIX) || name.equals("EGW_LOG_LEVEL")) {
                continue;
            }
            String key = keysByEnvName.get(name);
            if (key == null) {
                throw new SettingsException("environment variable " + env.getKey() + " names no configuration key;"
                        + " valid names are " + new TreeMap<>(keysByEnvName).keySet());
            }
            String raw = env.getValue();
            boolean isList = reference.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST;
            if (isList) {
                overrides.put(key, raw.isBlank() ? java.util.List.of()
                        : java.util.Arrays.stream(raw.split(",")).map(String::trim).toList());
            } else {
                overrides.put(key, raw);
            }
        }
        return ConfigFactory.parseMap(overrides, "environment variables " + ENV_PREFIX + "*");
    }

    static String envName(String key) {
        return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static void rejectUnknownKeys(Config reference, Config config) {
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (!reference.hasPath(e.getKey())) {
                throw new SettingsException("configuration key '" + e.getKey() + "' (" + e.getValue().origin().description()
                        + ") is not a known setting; see reference.conf for the valid keys");
            }
        }
    }
}
