#include "verify_pool.hpp"

namespace coapjws::scan {

VerifyPool::VerifyPool(unsigned workers) {
    threads_.reserve(workers);
    for (unsigned i = 0; i < workers; ++i)
        threads_.emplace_back([this] { work(); });
}

VerifyPool::~VerifyPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    for (auto& t : threads_)
        t.join();
}

void VerifyPool::submit(Task& task) {
    {
        std::lock_guard lock(mutex_);
        task.done_ = false;
        queue_.push_back(&task);
    }
    queued_.notify_one();
}

void VerifyPool::run_one(Task& task, std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    task.run();
    lock.lock();
    task.done_ = true;
    finished_.notify_all();
}

void VerifyPool::wait(Task& task) {
    std::unique_lock lock(mutex_);
    while (!task.done_) {
        if (!queue_.empty()) {
            Task* next = queue_.front();
            queue_.pop_front();
            run_one(*next, lock);
        } else {
            finished_.wait(lock);
        }
    }
}

void VerifyPool::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
            return;  // stopping, nothing left
        Task* next = queue_.front();
        queue_.pop_front();
        run_one(*next, lock);
    }
}

}  // namespace coapjws::scan
