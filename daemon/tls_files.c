/*
 * tls_files.c: reading and checking the HTTPS certificate and key (see tls_files.h).
 */
#include "tls_files.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file_read.h"
#include "wipe.h"

/* Far larger than any certificate chain or key. */
#define PEM_MAX (1024 * 1024)

static bool fail(lv_error *err, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A configuration error blaming @a key; the message starts with the key itself. */
static bool fail(lv_error *err, const char *key, const char *fmt, ...)
{
    char message[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    lv_error_set(err, LV_CONFIG_INVALID, 0, key, "%s: %s", key, message);
    return false;
}

/* Reads one PEM file into *out; @a marker is what it must contain. */
static bool read_pem(const char *key, const char *path, const char *marker, char **out,
                     lv_error *err)
{
    size_t len;
    lv_error read_err;
    char *text = file_read_all(path, PEM_MAX, &len, &read_err);
    if (text == NULL)
        return fail(err, key, "cannot read '%s': %s", path, read_err.message);
    if (strlen(text) != len || strstr(text, marker) == NULL) {
        lv_wipe_free(text);
        return fail(err, key, "'%s' is not a PEM file holding %s", path,
                    strcmp(marker, "-----BEGIN CERTIFICATE-----") == 0 ? "a certificate"
                                                                       : "a private key");
    }
    *out = text;
    return true;
}

bool tls_supported(void)
{
    return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

bool tls_files_load(lv_config *cfg, lv_error *err)
{
    static const char CERT_KEY[] = "[server] tls_cert_file";
    static const char KEY_KEY[] = "[server] tls_key_file";
    if (cfg->tls_cert_file == NULL || cfg->tls_key_file == NULL)
        return true;
    if (!tls_supported())
        return fail(err, CERT_KEY, "'%s' is set, but this libmicrohttpd was built without TLS",
                    cfg->tls_cert_file);
    if (!read_pem(CERT_KEY, cfg->tls_cert_file, "-----BEGIN CERTIFICATE-----", &cfg->tls_cert_pem,
                  err) ||
        !read_pem(KEY_KEY, cfg->tls_key_file, "PRIVATE KEY-----", &cfg->tls_key_pem, err))
        return false;

    /* The certificate on its own first, so that a bad one is blamed on its key... */
    gnutls_datum_t cert = {(unsigned char *)cfg->tls_cert_pem,
                           (unsigned int)strlen(cfg->tls_cert_pem)};
    gnutls_datum_t key = {(unsigned char *)cfg->tls_key_pem,
                          (unsigned int)strlen(cfg->tls_key_pem)};
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS)
        return fail(err, CERT_KEY, "'%s': out of memory", cfg->tls_cert_file);
    int rc = gnutls_x509_crt_import(crt, &cert, GNUTLS_X509_FMT_PEM);
    gnutls_x509_crt_deinit(crt);
    if (rc < 0)
        return fail(err, CERT_KEY, "'%s' does not hold a usable certificate: %s",
                    cfg->tls_cert_file, gnutls_strerror(rc));
    /* ...then both the way the server will load them: the key must parse and belong to
     * the certificate. */
    gnutls_certificate_credentials_t cred;
    if (gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS)
        return fail(err, CERT_KEY, "'%s': out of memory", cfg->tls_cert_file);
    rc = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
    gnutls_certificate_free_credentials(cred);
    if (rc < 0)
        return fail(err, KEY_KEY,
                    "'%s' is not the private key of the certificate, or not usable: %s",
                    cfg->tls_key_file, gnutls_strerror(rc));
    return true;
}
