// Worker threads for signature verification, the expensive, stateless part
// of the analysis (Session::verify). Threads waiting for a task to finish
// run queued tasks themselves meanwhile, so a reader thread that would
// otherwise block adds its core to the pool.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace coapjws::scan {

class VerifyPool {
  public:
    class Task {
      public:
        virtual ~Task() = default;
        virtual void run() = 0;

      private:
        friend class VerifyPool;
        bool done_ = true;  // guarded by the pool's mutex
    };

    // `workers` may be 0: then only waiting threads run tasks.
    explicit VerifyPool(unsigned workers);
    ~VerifyPool();
    VerifyPool(const VerifyPool&) = delete;
    VerifyPool& operator=(const VerifyPool&) = delete;

    // The task must stay alive until wait() returned for it.
    void submit(Task& task);
    // Returns once `task` has run; runs other queued tasks while waiting.
    void wait(Task& task);

  private:
    void work();
    void run_one(Task& task, std::unique_lock<std::mutex>& lock);

    std::mutex mutex_;
    std::condition_variable queued_;
    std::condition_variable finished_;
    std::deque<Task*> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace coapjws::scan
