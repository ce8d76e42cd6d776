package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os/exec"
	"runtime"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/serve"
	"github.com/disclose/disclose/generator/watch"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stdout, stderr, "生成网站并在本机预览：保存文件后，打开的页面自动刷新；内容有错误时页面上显示错误，预览仍是上一次成功生成的网站。\n预览在内存中进行，不写输出文件夹。按 Ctrl+C 停止。")
	src := fs.String("src", ".", "站点文件夹 `DIR`（site folder）")
	addr := fs.String("addr", serve.DefaultAddr, "监听地址 `HOST:PORT`；默认只允许本机访问")
	open := fs.Bool("open", false, "启动后用默认浏览器打开预览")
	poll := fs.Duration("poll", 0, "每隔 `DURATION` 检查一次文件（如 500ms），用于网络盘、虚拟机共享文件夹等收不到文件通知的地方")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := checkSiteDir(*src); err != nil {
		fmt.Fprintf(stderr, "disclose serve: %v\n", err)
		return exitUsage
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "addr" })
	tries := 0
	if !explicit {
		tries = 20 // another preview may hold the default port
	}
	ln, err := serve.Listen(*addr, tries)
	if err != nil {
		fmt.Fprintf(stderr, "disclose serve: 无法监听 %s：%v\n", *addr, err)
		return exitUsage
	}
	if got := ln.Addr().String(); !explicit && got != *addr {
		fmt.Fprintf(stderr, "端口 %s 已被占用（可能另有一个预览在运行），改用 %s。\n", *addr, got)
	}
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			fmt.Fprintf(stderr, "注意：预览监听 %s，局域网中的其他电脑也能访问。只在本机预览请去掉 --addr 或写 --addr 127.0.0.1:1313。\n", ln.Addr())
		}
	}
	cfg := serve.Config{
		Dir:      *src,
		Theme:    disclose.Theme(),
		Listener: ln,
		Watch:    watch.Options{Poll: *poll},
		Log:      stdout,
	}
	if *open {
		cfg.Ready = func(url string) {
			if err := openBrowser(url); err != nil {
				fmt.Fprintf(stderr, "无法打开浏览器（%v），请手动打开 %s\n", err, url)
			}
		}
	}
	if err := serve.Run(ctx, cfg); err != nil {
		fmt.Fprintf(stderr, "disclose serve: %v\n", err)
		return exitContent
	}
	return exitOK
}

// openBrowser opens url in the desktop's default browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// xdg-open and its kin hand the URL over and exit; reap them.
	go cmd.Wait()
	return nil
}
