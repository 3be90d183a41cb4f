// Package httpstack is the HTTP stack `kudos serve` runs on: echo with its
// middleware, net/http with the server's timeouts, and the metrics
// registry. cmd/floor runs on the same stack, so the floor it measures is
// the one under kudos, not a copy that drifts from it.
package httpstack

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Echo returns the router, quiet at start. A bug in a handler answers
// 500 and is logged; it never kills the process.
func Echo() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	return e
}

// Server returns the HTTP server for h: a client gets 10 s to send its
// headers and a minute for the rest of the exchange.
func Server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
}

// Registry returns a metrics registry holding the Go runtime's and the
// process's collectors.
func Registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Metrics serves reg in Prometheus's text format.
func Metrics(reg *prometheus.Registry) echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}
