module github.com/disclose/disclose

go 1.26

require github.com/BurntSushi/toml v1.6.0

require github.com/yuin/goldmark v1.8.7 // indirect
