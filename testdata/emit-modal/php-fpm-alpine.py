# real/docker-library__php/8.5__alpine3.23__fpm__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

image = (
    modal.Image.from_registry("alpine:3.23")
    .dockerfile_commands([
        "ENV PHPIZE_DEPS \t\tautoconf \t\tdpkg-dev dpkg \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkgconf \t\tre2c",
    ])
    .run_commands(
        "apk add --no-cache \t\tca-certificates \t\tcurl \t\topenssl \t\ttar \t\txz",
        "set -eux; \tadduser -u 82 -D -S -G www-data www-data",
    )
    .dockerfile_commands([
        "ENV PHP_INI_DIR /usr/local/etc/php",
    ])
    .run_commands(
        "set -eux; \tmkdir -p \"$PHP_INI_DIR/conf.d\"; \t[ ! -d /var/www/html ]; \tmkdir -p /var/www/html; \tchown www-data:www-data /var/www/html; \tchmod 1777 /var/www/html",
    )
    .env({"PHP_CFLAGS": "-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64"})
    .dockerfile_commands([
        "ENV PHP_CPPFLAGS=\"$PHP_CFLAGS\"",
    ])
    .env({"PHP_LDFLAGS": "-Wl,-O1 -pie"})
    .dockerfile_commands([
        "ENV GPG_KEYS 1198C0117593497A5EC5C199286AF1F9897469DC 49D9AF6BC72A80D6691719C8AA23F5BE9C7097D4 D95C03BC702BE9515344AE3374E44BC9067701A5",
        "ENV PHP_VERSION 8.5.9",
        "ENV PHP_URL=\"https://www.php.net/distributions/php-8.5.9.tar.xz\" PHP_ASC_URL=\"https://www.php.net/distributions/php-8.5.9.tar.xz.asc\"",
    ])
    .env({"PHP_SHA256": "0db7855f25bcd0ab1d592cdb35e284d6f6a5d2ae0f6f621122e364cc39b708f4"})
    .run_commands(
        "set -eux; \t\tapk add --no-cache --virtual .fetch-deps gnupg; \t\tmkdir -p /usr/src; \tcd /usr/src; \t\tcurl -fsSL -o php.tar.xz \"$PHP_URL\"; \t\tif [ -n \"$PHP_SHA256\" ]; then \t\techo \"$PHP_SHA256 *php.tar.xz\" | sha256sum -c -; \tfi; \t\tcurl -fsSL -o php.tar.xz.asc \"$PHP_ASC_URL\"; \texport GNUPGHOME=\"$(mktemp -d)\"; \tfor key in $GPG_KEYS; do \t\tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\"; \tdone; \tgpg --batch --verify php.tar.xz.asc php.tar.xz; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\"; \t\tapk del --no-network .fetch-deps",
    )
    # docker-php-source is not in the context here: taken to be a file
    .add_local_file("docker-php-source", "/usr/local/bin/", copy=True)
    .run_commands(
        "set -eux; \tapk add --no-cache --virtual .build-deps \t\t$PHPIZE_DEPS \t\targon2-dev \t\tcoreutils \t\tcurl-dev \t\tgnu-libiconv-dev \t\tlibsodium-dev \t\tlibxml2-dev \t\tlinux-headers \t\toniguruma-dev \t\topenssl-dev \t\treadline-dev \t\tsqlite-dev \t; \t\trm -vf /usr/include/iconv.h; \t\texport \t\tCFLAGS=\"$PHP_CFLAGS\" \t\tCPPFLAGS=\"$PHP_CPPFLAGS\" \t\tLDFLAGS=\"$PHP_LDFLAGS\" \t\tPHP_BUILD_PROVIDER='https://github.com/docker-library/php' \t\tPHP_UNAME='Linux - Docker' \t; \tdocker-php-source extract; \tcd /usr/src/php; \tgnuArch=\"$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)\"; \ttest \"$PHP_INI_DIR\" != \"${PHP_INI_DIR%/php}\"; \t./configure \t\t--build=\"$gnuArch\" \t\t--sysconfdir=\"${PHP_INI_DIR%/php}\" \t\t--with-config-file-path=\"$PHP_INI_DIR\" \t\t--with-config-file-scan-dir=\"$PHP_INI_DIR/conf.d\" \t\t\t\t--enable-option-checking=fatal \t\t\t\t--with-mhash \t\t\t\t--with-pic \t\t\t\t--enable-mbstring \t\t--enable-mysqlnd \t\t--with-password-argon2 \t\t--with-sodium=shared \t\t--with-pdo-sqlite=/usr \t\t--with-sqlite3=/usr \t\t\t\t--with-curl \t\t--with-iconv=/usr \t\t--with-openssl \t\t--with-readline \t\t--with-zlib \t\t\t\t--disable-phpdbg \t\t\t\t--with-pear \t\t\t\t\t\t--disable-cgi \t\t\t\t--enable-fpm \t\t--with-fpm-user=www-data \t\t--with-fpm-group=www-data \t; \tmake -j \"$(nproc)\"; \tfind -type f -name '*.a' -delete; \tmake install; \tfind \t\t/usr/local \t\t-type f \t\t-perm '/0111' \t\t-exec sh -euxc ' \t\t\tstrip --strip-all \"$@\" || : \t\t' -- '{}' + \t; \tmake clean; \t\tcp -v php.ini-* \"$PHP_INI_DIR/\"; \t\tcd /; \tdocker-php-source delete; \t\trunDeps=\"$( \t\tscanelf --needed --nobanner --format '%n#p' --recursive /usr/local \t\t\t| tr ',' '\\n' \t\t\t| sort -u \t\t\t| awk 'system(\"[ -e /usr/local/lib/\" $1 \" ]\") == 0 { next } { print \"so:\" $1 }' \t)\"; \tapk add --no-cache $runDeps; \t\tapk del --no-network .build-deps; \t\tpecl update-channels; \trm -rf /tmp/pear ~/.pearrc; \t\tphp --version",
    )
    .dockerfile_commands([
        "COPY docker-php-ext-* docker-php-entrypoint /usr/local/bin/",
    ])
    .run_commands(
        "docker-php-ext-enable sodium",
    )
    .entrypoint(["docker-php-entrypoint"])
    .workdir("/var/www/html")
    .run_commands(
        "set -eux; \tcd \"${PHP_INI_DIR%/php}\"; \t\tcp -v php-fpm.conf.default php-fpm.conf; \tcp -v php-fpm.d/www.conf.default php-fpm.d/www.conf; \t\tgrep -E '^listen = 127.0.0.1:9000' php-fpm.d/www.conf; \tsed -ri 's/^(listen = 127.0.0.1:9000)/;\\1/' php-fpm.d/www.conf; \tgrep -E '^;listen = 127.0.0.1:9000' php-fpm.d/www.conf; \t\t{ \t\techo '[global]'; \t\techo 'error_log = /proc/self/fd/2'; \t\techo; echo '; https://github.com/docker-library/php/pull/725#issuecomment-443540114'; echo 'log_limit = 8192'; \t\techo; \t\techo '[www]'; \t\techo '; php-fpm closes STDOUT on startup, so sending logs to /proc/self/fd/1 does not work.'; \t\techo '; https://bugs.php.net/bug.php?id=73886'; \t\techo 'access.log = /proc/self/fd/2'; \t\techo; \t\techo 'clear_env = no'; \t\techo; \t\techo '; Ensure worker stdout and stderr are sent to the main error log.'; \t\techo 'catch_workers_output = yes'; \t\techo 'decorate_workers_output = no'; \t\techo; \t\techo '; default listen address for easy override in later php-fpm.d/*.conf files'; \t\techo 'listen = 9000'; \t} | tee php-fpm.d/docker.conf; \t{ \t\techo '[global]'; \t\techo 'daemonize = no'; \t\techo; \t\techo '; the [www] ini section below is for backwards compatibility and will be removed in 8.6+'; \t\techo '[www]'; \t} | tee php-fpm.d/zz-docker.conf; \tmkdir -p \"$PHP_INI_DIR/conf.d\"; \t{ \t\techo '; https://github.com/docker-library/php/issues/878#issuecomment-938595965'; \t\techo 'fastcgi.logging = Off'; \t} > \"$PHP_INI_DIR/conf.d/docker-fpm.ini\"",
    )
    # MDM019 (line 255): STOPSIGNAL: Modal's builder does not implement it (it has no effect there)
    .dockerfile_commands([
        "STOPSIGNAL SIGQUIT",
        "EXPOSE 9000",
    ])
    .cmd(["php-fpm"])
)
