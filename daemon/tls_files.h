/*
 * tls_files.h: the certificate and key of lvhcmond's HTTPS ([server] tls_cert_file and
 * tls_key_file), read and checked when the configuration is loaded, so that a bad pair is a
 * configuration error naming the key (and --check-config finds it), not a server that
 * fails to start later with a library's message.
 *
 * Both are PEM files: the certificate (with its chain, server certificate first) and its
 * private key, unencrypted. The check parses both with GnuTLS, the library libmicrohttpd
 * uses for TLS, and makes sure the key belongs to the certificate.
 */
#ifndef LVHCMON_TLS_FILES_H
#define LVHCMON_TLS_FILES_H

#include <stdbool.h>

#include "config_parse.h"

/**
 * Reads cfg->tls_cert_file and cfg->tls_key_file (when set) into cfg->tls_cert_pem and
 * cfg->tls_key_pem and checks them.
 * @param err receives why not, code config_invalid, field the key to blame
 *        ("[server] tls_key_file"), a message naming the file
 * @return true when TLS is off or both files are usable
 */
bool tls_files_load(lv_config *cfg, lv_error *err);

/** @return true when this libmicrohttpd was built with TLS (HTTPS) support. */
bool tls_supported(void);

#endif
